// Stripe's two secrets, written only when PAYMENT_PROVIDER is stripe: azd hands them in as
// @secure() params (never saved in the deployment history) straight into Key Vault, and the
// Function App reads them through Key Vault references with its identity, as it reads MONGODB_URI.
// The publishable key is no secret (Stripe.js shows it to every browser): a plain app setting.

@description('Name of the Key Vault that receives the secrets.')
param keyVaultName string

@description('Tags put on every resource of this environment.')
param tags object

@secure()
@description('STRIPE_SECRET_KEY: the Stripe API key the Function App calls Stripe with (sk_test_… or sk_live_…).')
param stripeSecretKey string

@secure()
@description('STRIPE_WEBHOOK_SECRET: the signing secret of the store\'s webhook endpoint in Stripe (whsec_…).')
param stripeWebhookSecret string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource apiKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'stripe-secret-key'
  tags: tags
  properties: {
    contentType: 'Stripe API secret key'
    value: stripeSecretKey
  }
}

resource webhookKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'stripe-webhook-secret'
  tags: tags
  properties: {
    contentType: 'Stripe webhook signing secret'
    value: stripeWebhookSecret
  }
}

// The versionless URIs of the secrets (not their values): a Key Vault reference to one follows rotation.
output keyUri string = apiKey.properties.secretUri
output webhookKeyUri string = webhookKey.properties.secretUri
