// Order emails: Email Communication Services with an Azure-managed domain, linked to a
// Communication Services resource that the Function App sends through with its identity (no
// connection string, no key). Left out entirely when main.bicep's deployEmail is false.
// Resource types and properties: https://learn.microsoft.com/azure/templates/microsoft.communication/communicationservices,
// .../emailservices and .../emailservices/domains (API 2023-04-01, the GA version). An Azure-managed
// domain is a subdomain of azurecomm.net that needs no DNS records and comes with the sender
// username DoNotReply (https://learn.microsoft.com/azure/communication-services/quickstarts/email/add-azure-managed-domains).

@description('Name of the Communication Services resource.')
param communicationName string

@description('Name of the Email Communication Services resource.')
param emailName string

@description('Where both keep their data at rest, such as United States or Europe; a domain links only to a resource of the same data location.')
param dataLocation string

@description('Tags put on every resource of this environment.')
param tags object

@description('Who sends email through Communication Services: the app identity; each { id, type }.')
param senderPrincipals array

resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: emailName
  // Communication resources are global; dataLocation decides where their data stays.
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource managedDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  // The name an Azure-managed domain must have.
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    // No tracking pixels or rewritten links in order emails.
    userEngagementTracking: 'Disabled'
  }
}

// The domain's own DoNotReply sender, named as recipients see it (https://learn.microsoft.com/azure/templates/microsoft.communication/emailservices/domains/senderusernames).
resource sender 'Microsoft.Communication/emailServices/domains/senderUsernames@2023-04-01' = {
  parent: managedDomain
  name: 'donotreply'
  properties: {
    username: 'DoNotReply'
    displayName: 'BestBuy Store'
  }
}

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: communicationName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    linkedDomains: [managedDomain.id]
  }
}

// Communication and Email Service Owner: the built-in role Communication Services names for
// sending email with Microsoft Entra ID; it honours no custom role. Scoped to this one resource.
var roles = {
  communicationAndEmailServiceOwner: '09976791-48a7-449e-bb21-39d1a415f350'
}

resource senders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for sender in senderPrincipals: {
    name: guid(communication.id, sender.id, roles.communicationAndEmailServiceOwner)
    scope: communication
    properties: {
      principalId: sender.id
      principalType: sender.type
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.communicationAndEmailServiceOwner)
    }
  }
]

output name string = communication.name
output endpoint string = 'https://${communication.properties.hostName}'
// The address the store sends from: DoNotReply at the managed domain (<id>.azurecomm.net).
output senderAddress string = '${sender.properties.username}@${managedDomain.properties.fromSenderDomain}'
