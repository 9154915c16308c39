// Log Analytics (the factories' run logs land here too) and Application Insights on it, Entra-only ingestion.

param logAnalyticsName string
param applicationInsightsName string
param location string
param tags object
param retentionInDays int

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
    features: { disableLocalAuth: true }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    // Telemetry only with an Entra token: the app's identity holds Monitoring Metrics Publisher.
    DisableLocalAuth: true
  }
}

output workspaceId string = workspace.id
output applicationInsightsName string = appInsights.name
