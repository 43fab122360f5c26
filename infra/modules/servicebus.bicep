// Service Bus (Standard: queues with duplicate detection) and the queue the makeline reads.
// The queue's defaults equal the embedded queue's defaults in functions/src/config.ts, so the
// store behaves the same on a laptop and in Azure; npm test checks they stay equal.

@description('Name of the Service Bus namespace.')
param name string

@description('Azure region of the namespace.')
param location string

@description('Tags put on every resource of this environment.')
param tags object

@description('Name of the queue orders are sent to.')
param queueName string

@minValue(5)
@maxValue(300)
@description('Seconds a received message stays locked to its receiver (embedded: QUEUE_LOCK_DURATION_SECONDS).')
param lockDurationSeconds int = 60

@minValue(1)
@maxValue(2000)
@description('Deliveries before a message is dead-lettered (embedded: QUEUE_MAX_DELIVERY_COUNT).')
param maxDeliveryCount int = 10

@minValue(20)
@maxValue(604800)
@description('Seconds within which a repeated messageId is dropped (embedded: QUEUE_DUPLICATE_DETECTION_WINDOW_SECONDS).')
param duplicateDetectionWindowSeconds int = 600

@description('How long an undelivered message lives before it expires into the dead-letter queue (ISO 8601 duration).')
param messageTimeToLive string = 'P14D'

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    minimumTlsVersion: '1.2'
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: queueName
  properties: {
    lockDuration: 'PT${lockDurationSeconds}S'
    maxDeliveryCount: maxDeliveryCount
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT${duplicateDetectionWindowSeconds}S'
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: messageTimeToLive
    requiresSession: false
    enablePartitioning: false
    enableBatchedOperations: true
    maxSizeInMegabytes: 1024
  }
}

output name string = namespace.name
output queueName string = queue.name
// serviceBusEndpoint looks like https://NAME.servicebus.windows.net:443/ ; the SDK and the trigger want the host.
output fullyQualifiedNamespace string = replace(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':443/', '')
