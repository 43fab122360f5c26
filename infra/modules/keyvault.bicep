// Key Vault for the secrets the store cannot avoid: Cosmos DB for MongoDB (RU) accepts only
// key-based connection strings, and Stripe authenticates by API key and signs webhooks with a
// shared secret. They live here and the Function App reads them through Key Vault references with
// its managed identity. Access is by Azure RBAC, not access policies.

@description('Name of the Key Vault (3-24 letters, digits and hyphens).')
param name string

@description('Azure region of the vault.')
param location string

@description('Tags put on every resource of this environment.')
param tags object

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    // Required unless createMode is recover, and ignored under RBAC.
    accessPolicies: []
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
