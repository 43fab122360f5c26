// The store's Function App on the Flex Consumption plan (Linux, Node.js), running as its
// user-assigned identity. Every connection is identity-based: host storage, the Service Bus
// trigger and sender, Application Insights, Blob Storage and Azure OpenAI. The only secret, the
// MongoDB connection string, arrives as a Key Vault reference resolved with the same identity.
// The app settings below are the whole environment the code sees: npm test checks that every
// setting functions/src/config.ts reads (and every trigger connection) is set here.

@description('Name of the Function App.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region of the plan and the app.')
param location string

@description('Tags put on every resource of this environment.')
param tags object

@description('azd service name of the app (the azd-service-name tag azd deploy looks for).')
param serviceName string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity, which identity-based connections name.')
param identityClientId string

@description('Storage account for host storage and the deployment package.')
param storageAccountName string

@description('Blob container the deployment package is uploaded to.')
param deploymentContainerName string

@description('Application Insights component that receives the telemetry.')
param applicationInsightsName string

@allowed(['20', '22'])
@description('Node.js major version of the Functions runtime; Flex Consumption runs 20 and 22, and 20 is past end of support.')
param nodeVersion string = '22'

@allowed([512, 2048, 4096])
@description('Memory of each instance in MB; Flex Consumption bills execution time by this size.')
param instanceMemoryMB int = 2048

// The Flex Consumption plan page gives 40 as the lowest maximum instance count.
@minValue(40)
@maxValue(1000)
@description('Most instances the app scales out to, a ceiling on cost as much as on load.')
param maximumInstanceCount int = 40

@description('Value of STORE_ADAPTERS: which adapters the composition root picks.')
param storeAdapters string

@description('Fully qualified Service Bus namespace, e.g. NAME.servicebus.windows.net.')
param serviceBusNamespace string

@description('Versionless URI of the Key Vault secret holding the MongoDB connection string.')
param mongoConnectionSecretUri string

@description('Name of the MongoDB database.')
param mongoDatabaseName string

@description('SEED_CATALOG: whether a start that finds the catalog empty fills it with the demo products.')
param seedCatalog bool

@description('Blob endpoint of the Storage account holding product images.')
param imagesBlobEndpoint string

@description('Blob container of product images.')
param imagesContainerName string

@description('Azure OpenAI endpoint; empty when Azure OpenAI is not deployed.')
param openAiEndpoint string

@description('Azure OpenAI chat deployment name; empty when not deployed.')
param openAiChatDeployment string

@description('Azure OpenAI image deployment name; empty when not deployed.')
param openAiImageDeployment string

@minValue(1)
@description('OUTBOX_RESEND_AFTER_SECONDS: age after which the sweeper re-sends a received order.')
param outboxResendAfterSeconds int

@minValue(20)
@description('QUEUE_DUPLICATE_DETECTION_WINDOW_SECONDS: the orders queue\'s duplicate detection window; the outbox re-sends only within half of it.')
param queueDuplicateDetectionWindowSeconds int

@minValue(0)
@description('VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: orders the virtual customer places each hour.')
param virtualCustomerOrdersPerHour int

@minValue(0)
@description('VIRTUAL_WORKER_ORDERS_PER_HOUR: orders the virtual worker completes each hour.')
param virtualWorkerOrdersPerHour int

@description('OUTBOX_SWEEP_SCHEDULE: six-field NCRONTAB schedule of the outbox sweeper.')
param outboxSweepSchedule string

@description('VIRTUAL_ACTORS_SCHEDULE: six-field NCRONTAB schedule of the virtual customer and worker.')
param virtualActorsSchedule string

@description('IMAGE_URL_HOSTS: comma-separated hostnames whose https pictures products may show; empty allows only the store\'s own.')
param imageUrlHosts string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'node'
        version: nodeVersion
      }
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    // Functions host: storage and telemetry through the identity.
    AzureWebJobsStorage__accountName: storage.name
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    // @azure/identity's DefaultAzureCredential picks the user-assigned identity by this.
    AZURE_CLIENT_ID: identityClientId

    // The makeline trigger's connection (definitions.ts), also used to send orders.
    ServiceBusConnection__fullyQualifiedNamespace: serviceBusNamespace
    ServiceBusConnection__credential: 'managedidentity'
    ServiceBusConnection__clientId: identityClientId

    // The store (functions/src/config.ts and the Azure adapters).
    STORE_ADAPTERS: storeAdapters
    MONGODB_URI: '@Microsoft.KeyVault(SecretUri=${mongoConnectionSecretUri})'
    MONGODB_DATABASE: mongoDatabaseName
    // Spelled out: the app accepts exactly 'true' or 'false'.
    SEED_CATALOG: seedCatalog ? 'true' : 'false'
    // Identity-based, like ServiceBusConnection: the images blob endpoint, reached as AZURE_CLIENT_ID.
    ImagesStorage__blobServiceUri: imagesBlobEndpoint
    IMAGES_CONTAINER: imagesContainerName
    AZURE_OPENAI_ENDPOINT: openAiEndpoint
    AZURE_OPENAI_CHAT_DEPLOYMENT: openAiChatDeployment
    AZURE_OPENAI_IMAGE_DEPLOYMENT: openAiImageDeployment
    // The time budget of one AI request, retries included: the admin page's AI calls come through
    // the Static Web App, which ends every API request at 45 s. The models (openai.bicep) are called
    // on Azure OpenAI's v1 API (no api-version) with the identity above: no key (local auth is off).
    AI_TIMEOUT_MS: '40000'
    OUTBOX_RESEND_AFTER_SECONDS: string(outboxResendAfterSeconds)
    QUEUE_DUPLICATE_DETECTION_WINDOW_SECONDS: string(queueDuplicateDetectionWindowSeconds)
    // Bulk AI enrichment (Durable Functions); loading durable-functions adds ~100 ms to each cold start.
    ENRICHMENT_ENABLED: 'true'
    VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: string(virtualCustomerOrdersPerHour)
    VIRTUAL_WORKER_ORDERS_PER_HOUR: string(virtualWorkerOrdersPerHour)
    // The overview lists products with fewer than this in stock; Restock (and the virtual supplier) adds RESTOCK_QUANTITY.
    LOW_STOCK_THRESHOLD: '5'
    RESTOCK_QUANTITY: '20'
    // The timer triggers read these as %OUTBOX_SWEEP_SCHEDULE% and %VIRTUAL_ACTORS_SCHEDULE%, and so does config.ts.
    OUTBOX_SWEEP_SCHEDULE: outboxSweepSchedule
    VIRTUAL_ACTORS_SCHEDULE: virtualActorsSchedule
    // Empty: products show only the store's own pictures.
    IMAGE_URL_HOSTS: imageUrlHosts
    // What one client may send (docs/settings.md, Limits); RATE_LIMITS 'off' only for a load test.
    RATE_LIMITS: 'on'
    RATE_LIMIT_ORDERS: '5/10m'
    RATE_LIMIT_CANCELS: '10/10m'
    RATE_LIMIT_CLAIMS: '10/10m'
    RATE_LIMIT_PAYMENTS: '10/10m'
    RATE_LIMIT_SEARCHES: '60/1m'
    // The demo provider takes Stripe's test cards and no money (docs/settings.md, Payments).
    PAYMENT_PROVIDER: 'demo'
    // Minutes an unpaid order holds its stock before the outbox sweeper gives it back.
    HOLD_MINUTES: '15'
    VIRTUAL_CUSTOMER_DECLINE_RATE: '0.1'
    // Where the client's address is read from behind Static Web Apps (docs/architecture.md, Who a client is).
    CLIENT_ADDRESS_HEADER: 'x-azure-socketip'
    MAX_UNITS_PER_LINE: '10'
    MAX_ORDER_LINES: '20'
  }
}

output id string = site.id
output name string = site.name
output location string = site.location
output uri string = 'https://${site.properties.defaultHostName}'
