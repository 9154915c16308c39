// The alerting side: an action group calling our webhook with the common alert schema, and per target factory a
// log alert rule on failed pipeline runs, split by the dimensions intake reads (PipelineName, RunId, _ResourceId).

param actionGroupName string
param rulePrefix string
param location string
param tags object
param functionAppName string
param workspaceId string
param dataFactoryIds array
@allowed(['PT5M', 'PT10M', 'PT15M'])
param evaluationFrequency string
@description('Entra app registration (object id) for a secure webhook; empty: plain webhook.')
param secureWebhookObjectId string = ''
param secureWebhookIdentifierUri string = ''

var secureWebhook = !empty(secureWebhookObjectId)
// Twice the frequency: each window overlaps the next evaluation.
var windowSizes = { PT5M: 'PT10M', PT10M: 'PT20M', PT15M: 'PT30M' }

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource host 'Microsoft.Web/sites/host@2024-04-01' existing = {
  parent: site
  name: 'default'
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'autoheal'
    enabled: true
    webhookReceivers: [
      {
        name: 'autoheal'
        // Secure webhook: the Entra token is the only credential (the /secure receiver is anonymous for the host).
        // Otherwise the function key authorises the call; it is read here, never held in a parameter.
        serviceUri: secureWebhook
          ? 'https://${site.properties.defaultHostName}/api/alerts/azure-monitor/secure'
          : 'https://${site.properties.defaultHostName}/api/alerts/azure-monitor?code=${host.listKeys().functionKeys.default}'
        useCommonAlertSchema: true
        useAadAuth: secureWebhook
        objectId: secureWebhook ? secureWebhookObjectId : null
        identifierUri: secureWebhook ? secureWebhookIdentifierUri : null
        tenantId: secureWebhook ? tenant().tenantId : null
      }
    ]
  }
}

// The window overlaps the next evaluation so a late-ingested row is still seen; intake deduplicates by run id.
resource failedRuns 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = [for factoryId in dataFactoryIds: {
  name: '${rulePrefix}adf-failed-${last(split(factoryId, '/'))}-${take(uniqueString(factoryId), 6)}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'ADF pipeline run failed: ${last(split(factoryId, '/'))}'
    description: 'A pipeline run of this factory reported Failed; Pipeline Autoheal receives it.'
    severity: 2
    enabled: true
    scopes: [workspaceId]
    evaluationFrequency: evaluationFrequency
    windowSize: windowSizes[evaluationFrequency]
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: 'ADFPipelineRun | where Status == "Failed" | where _ResourceId =~ "${toLower(factoryId)}"'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            { name: 'PipelineName', operator: 'Include', values: ['*'] }
            { name: 'RunId', operator: 'Include', values: ['*'] }
            { name: '_ResourceId', operator: 'Include', values: ['*'] }
          ]
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: [actionGroup.id] }
  }
}]

output actionGroupId string = actionGroup.id
