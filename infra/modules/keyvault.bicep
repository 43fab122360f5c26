// Key Vault for the one secret the store cannot avoid: Cosmos DB for MongoDB (RU) accepts only
// key-based connection strings, so the string lives here and the Function App reads it through
// a Key Vault reference with its managed identity. Access is by Azure RBAC, not access policies.

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
