// BestBuy Store on Azure, provisioned by `azd up` (or `azd provision`): one resource group
// holding a Flex Consumption Function App, Service Bus, Cosmos DB for MongoDB (serverless),
// Storage, Key Vault, a Static Web App with the Function App as its linked backend, monitoring,
// and optionally Azure OpenAI. azd passes environmentName, location and principalId from its
// environment (infra/main.parameters.json) and finds what to deploy to by the azd-service-name
// tags. No output carries a secret.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name: names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Azure region of every resource except the Static Web App and Azure OpenAI.')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of whoever runs azd; gets the same data roles as the app so the app can run against these resources from a laptop. Empty skips it.')
param principalId string = ''

@allowed(['User', 'ServicePrincipal'])
@description('Kind of principalId: User for a person, ServicePrincipal for a pipeline.')
param principalType string = 'User'

@allowed(['westus2', 'centralus', 'eastus2', 'westeurope', 'eastasia'])
@description('Region of the Static Web App resource; only these regions host it.')
param staticWebAppLocation string = 'eastus2'

@description('Value of STORE_ADAPTERS on the Function App.')
param storeAdapters string = 'azure'

@description('Create Azure OpenAI with a chat and an image model deployment; false leaves AI features off.')
param deployOpenAi bool = true

@description('Region of the Azure OpenAI account; both models must be offered there.')
param openAiLocation string = 'swedencentral'

// Model defaults current by Microsoft Learn's Azure OpenAI model retirement schedule as of
// 2026-11: generally available, Global Standard in swedencentral, retiring no sooner than 2027-03.
// Each is an azd variable (infra/main.parameters.json), and the preprovision hook
// (infra/scripts/preprovision.mjs) checks that the region offers the chosen ones.
@description('Chat model for product copy (a model that answers the Chat Completions API).')
param chatModelName string = 'gpt-5.4-mini'

@description('Version of the chat model.')
param chatModelVersion string = '2026-03-17'

@description('Deployment type of the chat model, for example GlobalStandard or Standard.')
param chatSkuName string = 'GlobalStandard'

@minValue(1)
@description('Chat capacity in thousands of tokens per minute.')
param chatCapacity int = 10

@description('Image model for product pictures; gpt-image-2 needs no limited-access registration, the gpt-image-1 series does.')
param imageModelName string = 'gpt-image-2'

@description('Version of the image model.')
param imageModelVersion string = '2026-04-21'

@description('Deployment type of the image model, for example GlobalStandard.')
param imageSkuName string = 'GlobalStandard'

@minValue(1)
@description('Image model capacity units.')
param imageCapacity int = 1

@minValue(0)
@maxValue(360000)
@description('Orders the virtual customer places per hour; a small rate keeps a demo alive, 0 stops it.')
param virtualCustomerOrdersPerHour int = 12

@minValue(0)
@maxValue(360000)
@description('Orders the virtual worker completes per hour; 0 leaves pending orders to employees.')
param virtualWorkerOrdersPerHour int = 12

@description('NCRONTAB schedule (six fields, UTC) of the outbox sweeper: every minute re-sends a lost send within about 90 s.')
param outboxSweepSchedule string = '0 * * * * *'

@description('NCRONTAB schedule (six fields, UTC) of the virtual customer and worker; each run catches up its hourly rate since the previous one.')
param virtualActorsSchedule string = '0 */30 * * * *'

@minValue(1)
@maxValue(86400)
@description('Seconds an order may stay received before the outbox sweeper re-sends it; under half the duplicate detection window.')
param outboxResendAfterSeconds int = 30

@minValue(20)
@maxValue(604800)
@description('Seconds within which the orders queue drops a repeated messageId; the outbox sweeper re-sends for half of it.')
param queueDuplicateDetectionWindowSeconds int = 600

@description('SEED_CATALOG: a start that finds the catalog empty fills it with the 16 demo products; false leaves it empty.')
param seedCatalog bool = true

@description('IMAGE_URL_HOSTS: comma-separated hostnames (such as cdn.example.com) whose https pictures products may show; empty allows only the store\'s own.')
param imageUrlHosts string = ''

@allowed([512, 2048, 4096])
@description('Function App instance memory in MB; Flex Consumption bills execution time by this size.')
param instanceMemoryMB int = 2048

// The Flex Consumption plan page gives 40 as the lowest maximum instance count (a newer scaling
// page says 1): 40 deploys under either.
@minValue(40)
@maxValue(1000)
@description('Most Function App instances, a ceiling on cost as much as on load.')
param maximumInstanceCount int = 40

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

// Names the code and the settings agree on.
var ordersQueueName = 'orders'
var databaseName = 'bestbuy'
var mongoSecretName = 'mongodb-uri'
var imagesContainerName = 'product-images'
var deploymentContainerName = 'app-package-${take(resourceToken, 7)}'
var chatDeploymentName = 'chat'
// Named after the model: the app tells a GPT image model (base64 only, no response_format) by it.
var imageDeploymentName = imageModelName

// The store's collections with the indexes its queries sort and filter on. They must match
// STORE_INDEXES in functions/src/adapters/azure/mongo.ts (functions/test/unit/mongoIndexes.test.ts keeps
// them equal): ARM index lists are declarative, so a provision would otherwise drop indexes the app
// created. Stock holds live on each product. Order numbers are kept unique by orderNumbers, whose
// _id is the number: Cosmos DB builds a unique index only on an empty collection, so orders gets a
// plain one on number, which an older deployment's orders collection can gain in place.
var idIndex = { key: { keys: ['_id'] } }
var collections = [
  {
    name: 'products'
    indexes: [idIndex, { key: { keys: ['nameKey', '_id'] } }, { key: { keys: ['tags'] } }, { key: { keys: ['searchKeys'] } }, { key: { keys: ['stock', 'nameKey', '_id'] } }]
  }
  {
    name: 'orders'
    indexes: [
      idIndex
      { key: { keys: ['createdAt', '_id'] } }
      { key: { keys: ['status', 'createdAt', '_id'] } }
      { key: { keys: ['ownerKey', 'createdAt', '_id'] } }
      { key: { keys: ['number'] } }
      { key: { keys: ['sweepAt'] } }
    ]
  }
  {
    // The demo payment provider's ledger of charges and refunds.
    name: 'paymentLedger'
    indexes: [idIndex, { key: { keys: ['orderId', 'at', '_id'] } }]
  }
  {
    name: 'orderNumbers'
    indexes: [idIndex]
  }
  {
    name: 'orderCounts'
    indexes: [idIndex]
  }
  {
    name: 'audit'
    indexes: [idIndex, { key: { keys: ['at', '_id'] } }]
  }
  {
    // Per-client request counts (rate limits); Cosmos DB deletes each a day after its last change.
    name: 'rateCounters'
    indexes: [idIndex, { key: { keys: ['_ts'] }, options: { expireAfterSeconds: 86400 } }]
  }
]

resource rg 'Microsoft.Resources/resourceGroups@2022-09-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-api-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    imagesContainerName: imagesContainerName
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  scope: rg
  params: {
    name: 'sb-${resourceToken}'
    location: location
    tags: tags
    queueName: ordersQueueName
    duplicateDetectionWindowSeconds: queueDuplicateDetectionWindowSeconds
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: {
    name: 'cosmos-${resourceToken}'
    location: location
    tags: tags
    databaseName: databaseName
    collections: collections
    keyVaultName: keyVault.outputs.name
    connectionSecretName: mongoSecretName
  }
}

module openAi 'modules/openai.bicep' = if (deployOpenAi) {
  name: 'openai'
  scope: rg
  params: {
    name: 'oai-${resourceToken}'
    location: openAiLocation
    tags: tags
    chatDeploymentName: chatDeploymentName
    chatModelName: chatModelName
    chatModelVersion: chatModelVersion
    chatSkuName: chatSkuName
    chatCapacity: chatCapacity
    imageDeploymentName: imageDeploymentName
    imageModelName: imageModelName
    imageModelVersion: imageModelVersion
    imageSkuName: imageSkuName
    imageCapacity: imageCapacity
    // Declared with the account, under its condition: no role assignment can point at an account
    // that is not there.
    userPrincipals: concat(
      [{ id: identity.outputs.principalId, type: 'ServicePrincipal' }],
      empty(principalId) ? [] : [{ id: principalId, type: principalType }]
    )
  }
}

module apiAccess 'modules/access.bicep' = {
  name: 'access-api'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    serviceBusNamespaceName: serviceBus.outputs.name
    queueName: serviceBus.outputs.queueName
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module developerAccess 'modules/access.bicep' = if (!empty(principalId)) {
  name: 'access-developer'
  scope: rg
  params: {
    principalId: principalId
    principalType: principalType
    serviceBusNamespaceName: serviceBus.outputs.name
    queueName: serviceBus.outputs.queueName
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module api 'modules/functionapp.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: 'func-api-${resourceToken}'
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    serviceName: 'api'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    storeAdapters: storeAdapters
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    mongoConnectionSecretUri: cosmos.outputs.mongoUriVaultUri
    mongoDatabaseName: cosmos.outputs.databaseName
    seedCatalog: seedCatalog
    imagesBlobEndpoint: storage.outputs.blobEndpoint
    imagesContainerName: imagesContainerName
    // .? reads null from a module that is not deployed (DEPLOY_OPENAI=false), which ?? makes empty.
    openAiEndpoint: openAi.?outputs.endpoint ?? ''
    openAiChatDeployment: openAi.?outputs.chatDeploymentName ?? ''
    openAiImageDeployment: openAi.?outputs.imageDeploymentName ?? ''
    outboxResendAfterSeconds: outboxResendAfterSeconds
    queueDuplicateDetectionWindowSeconds: queueDuplicateDetectionWindowSeconds
    virtualCustomerOrdersPerHour: virtualCustomerOrdersPerHour
    virtualWorkerOrdersPerHour: virtualWorkerOrdersPerHour
    outboxSweepSchedule: outboxSweepSchedule
    virtualActorsSchedule: virtualActorsSchedule
    imageUrlHosts: imageUrlHosts
  }
  // The identity must hold its roles before the app first pulls its package and connects.
  dependsOn: [apiAccess]
}

module web 'modules/staticwebapp.bicep' = {
  name: 'web'
  scope: rg
  params: {
    name: 'stapp-${resourceToken}'
    location: staticWebAppLocation
    tags: tags
    serviceName: 'web'
    backendResourceId: api.outputs.id
    backendLocation: api.outputs.location
  }
}

// azd stores these in the environment (.azure/<env>/.env); none is a secret.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AZURE_STATIC_WEB_APP_NAME string = web.outputs.name
output WEB_URL string = web.outputs.uri
output API_URL string = '${web.outputs.uri}/api'
// The Function App's own address, for the postdeploy smoke check: it must refuse callers that go around the site.
output API_FUNCTION_URL string = api.outputs.uri
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output MONGODB_DATABASE string = databaseName
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output IMAGES_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output IMAGES_CONTAINER string = imagesContainerName
// Empty without Azure OpenAI. The postdeploy smoke check probes the two deployments with them.
output AZURE_OPENAI_ENDPOINT string = openAi.?outputs.endpoint ?? ''
output AZURE_OPENAI_CHAT_DEPLOYMENT string = openAi.?outputs.chatDeploymentName ?? ''
output AZURE_OPENAI_IMAGE_DEPLOYMENT string = openAi.?outputs.imageDeploymentName ?? ''
