// Azure OpenAI with one chat and one image model deployment, reached only with Microsoft Entra
// ID (local keys off). Left out entirely when main.bicep's deployOpenAi is false.

@description('Name of the Azure OpenAI account; also its custom subdomain.')
param name string

@description('Azure region of the account; both models must be offered there.')
param location string

@description('Tags put on every resource of this environment.')
param tags object

@description('Name of the chat model deployment.')
param chatDeploymentName string

@description('Chat model name, for example gpt-5.4-mini.')
param chatModelName string

@description('Chat model version.')
param chatModelVersion string

@description('Deployment type of the chat model, for example GlobalStandard or Standard.')
param chatSkuName string

@minValue(1)
@description('Chat capacity in thousands of tokens per minute.')
param chatCapacity int

@description('Name of the image model deployment.')
param imageDeploymentName string

@description('Image model name, for example gpt-image-2.')
param imageModelName string

@description('Image model version.')
param imageModelVersion string

@description('Deployment type of the image model, for example GlobalStandard.')
param imageSkuName string

@minValue(1)
@description('Image capacity units.')
param imageCapacity int

@description('Who may call the models (Cognitive Services OpenAI User): the app identity, and whoever ran azd; each { id, type }.')
param userPrincipals array

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  properties: {
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource chat 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: chatDeploymentName
  sku: {
    name: chatSkuName
    capacity: chatCapacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: chatModelName
      version: chatModelVersion
    }
  }
}

resource image 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: imageDeploymentName
  sku: {
    name: imageSkuName
    capacity: imageCapacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: imageModelName
      version: imageModelVersion
    }
  }
  // An account takes one deployment change at a time.
  dependsOn: [chat]
}

var cognitiveServicesOpenAiUser = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'

// Named as access.bicep named them before, so an existing deployment keeps its assignments.
resource openAiUsers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for user in userPrincipals: {
    name: guid(account.id, user.id, cognitiveServicesOpenAiUser)
    scope: account
    properties: {
      principalId: user.id
      principalType: user.type
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cognitiveServicesOpenAiUser)
    }
  }
]

output name string = account.name
output endpoint string = account.properties.endpoint
output chatDeploymentName string = chat.name
output imageDeploymentName string = image.name
