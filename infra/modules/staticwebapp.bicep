// The Static Web App (Standard: needed to link a backend) serving web/. The Function App is
// linked as its /api backend by staticwebappBackend.bicep, once the app exists: the app's
// settings need this site's address (STORE_PUBLIC_URL, the links in order emails).

@description('Name of the Static Web App.')
param name string

@description('Region of the Static Web App resource (content is served from a global edge).')
param location string

@description('Tags put on every resource of this environment.')
param tags object

@description('azd service name of the site (the azd-service-name tag azd deploy looks for).')
param serviceName string

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

output name string = site.name
output uri string = 'https://${site.properties.defaultHostname}'
