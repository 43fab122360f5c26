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

@description('Chat model for product copy.')
param chatModelName string = 'gpt-4o-mini'

@description('Version of the chat model.')
param chatModelVersion string = '2024-07-18'

@minValue(1)
@description('Chat capacity in thousands of tokens per minute.')
param chatCapacity int = 10

@description('Image model for product pictures.')
param imageModelName string = 'dall-e-3'

@description('Version of the image model.')
param imageModelVersion string = '3.0'

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

@allowed([512, 2048, 4096])
@description('Function App instance memory in MB; Flex Consumption bills execution time by this size.')
param instanceMemoryMB int = 2048

@minValue(1)
@maxValue(1000)
@description('Most Function App instances, a ceiling on cost as much as on load.')
param maximumInstanceCount int = 40

@description('Let anyone read product images by URL; turn off where policy forbids anonymous blob access.')
param publicImages bool = true

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

// Names the code and the settings agree on.
var ordersQueueName = 'orders'
var databaseName = 'bestbuy'
var mongoSecretName = 'mongodb-uri'
var imagesContainerName = 'product-images'
var deploymentContainerName = 'app-package-${take(resourceToken, 7)}'
var chatDeploymentName = 'chat'
var imageDeploymentName = 'image'

// The store's collections with the indexes its queries sort and filter on. They must match
// ensureIndexes in functions/src/adapters/azure/mongo.ts: ARM index lists are declarative, so a
// provision would otherwise drop indexes the app created. Stock holds live on each product.
var idIndex = { key: { keys: ['_id'] } }
var collections = [
  {
    name: 'products'
    indexes: [idIndex, { key: { keys: ['nameKey', '_id'] } }, { key: { keys: ['tags'] } }]
  }
  {
    name: 'orders'
    indexes: [idIndex, { key: { keys: ['createdAt', '_id'] } }, { key: { keys: ['status', 'createdAt', '_id'] } }]
  }
  {
    name: 'audit'
    indexes: [idIndex, { key: { keys: ['at', '_id'] } }]
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
    publicImages: publicImages
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
    chatCapacity: chatCapacity
    imageDeploymentName: imageDeploymentName
    imageModelName: imageModelName
    imageModelVersion: imageModelVersion
    imageCapacity: imageCapacity
  }
}

var openAiAccountName = deployOpenAi ? openAi.outputs.name : ''

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
    openAiAccountName: openAiAccountName
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
    openAiAccountName: openAiAccountName
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
    imagesBlobEndpoint: storage.outputs.blobEndpoint
    imagesContainerName: imagesContainerName
    openAiEndpoint: deployOpenAi ? openAi.outputs.endpoint : ''
    openAiChatDeployment: deployOpenAi ? openAi.outputs.chatDeploymentName : ''
    openAiImageDeployment: deployOpenAi ? openAi.outputs.imageDeploymentName : ''
    outboxResendAfterSeconds: outboxResendAfterSeconds
    queueDuplicateDetectionWindowSeconds: queueDuplicateDetectionWindowSeconds
    virtualCustomerOrdersPerHour: virtualCustomerOrdersPerHour
    virtualWorkerOrdersPerHour: virtualWorkerOrdersPerHour
    outboxSweepSchedule: outboxSweepSchedule
    virtualActorsSchedule: virtualActorsSchedule
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
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output MONGODB_DATABASE string = databaseName
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output IMAGES_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output IMAGES_CONTAINER string = imagesContainerName
output AZURE_OPENAI_ENDPOINT string = deployOpenAi ? openAi.outputs.endpoint : ''
