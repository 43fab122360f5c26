// Log Analytics and workspace-based Application Insights. Local (instrumentation key) ingestion
// is switched off: the Function App sends telemetry with its managed identity.

@description('Name of the Log Analytics workspace.')
param logAnalyticsName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Azure region of both resources.')
param location string

@description('Tags put on every resource of this environment.')
param tags object

@minValue(30)
@maxValue(730)
@description('Days Log Analytics keeps data; 30 is included in the ingestion price.')
param retentionInDays int = 30

// A demo logs far less than this (host.json keeps only warnings, invocations and the app's own
// lines); the cap is the worst case the cost table in docs/deploy.md prices: 31 x 0.1 = 3.1 GB a month.
@description('Daily ingestion cap in GB (a decimal, as text: Bicep has no float), a ceiling on the bill of a demo; -1 means no cap.')
param dailyQuotaGb string = '0.1'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    workspaceCapping: {
      dailyQuotaGb: json(dailyQuotaGb)
    }
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

output applicationInsightsName string = applicationInsights.name
output logAnalyticsName string = workspace.name
