// The Static Web App (Standard: needed to link a backend) serving web/, with the Function App
// linked as its /api backend. Linking hands the app Static Web Apps' sign-in, so the
// x-ms-client-principal header the API checks comes from Static Web Apps in Azure too.

@description('Name of the Static Web App.')
param name string

@description('Region of the Static Web App resource (content is served from a global edge).')
param location string

@description('Tags put on every resource of this environment.')
param tags object

@description('azd service name of the site (the azd-service-name tag azd deploy looks for).')
param serviceName string

@description('Resource id of the Function App linked as the /api backend.')
param backendResourceId string

@description('Region of the Function App linked as the backend.')
param backendLocation string

resource site 'Microsoft.Web/staticSites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    provider: 'Custom'
    allowConfigFileUpdates: true
  }
}

resource backend 'Microsoft.Web/staticSites/linkedBackends@2024-04-01' = {
  parent: site
  name: 'api'
  properties: {
    backendResourceId: backendResourceId
    region: backendLocation
  }
}

output name string = site.name
output uri string = 'https://${site.properties.defaultHostname}'
