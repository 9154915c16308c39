// One target Data Factory, deployed in the factory's own resource group: the app's identity may read runs and start
// recovery reruns there, and the factory sends its pipeline and activity runs to our Log Analytics workspace.

param factoryName string
param identityPrincipalId string
param workspaceId string
param diagnosticSettingName string

var dataFactoryContributor = '673868aa-7521-48a0-acc6-0f60742d39f5' // Data Factory Contributor

resource factory 'Microsoft.DataFactory/factories@2018-06-01' existing = {
  name: factoryName
}

// Reads pipeline and activity runs, starts recovery reruns (createRun with isRecovery and startFromFailure).
resource rerun 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(factory.id, identityPrincipalId, dataFactoryContributor)
  scope: factory
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataFactoryContributor)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Resource-specific tables (ADFPipelineRun, ADFActivityRun): the alert rule splits on their columns.
resource runLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: diagnosticSettingName
  scope: factory
  properties: {
    workspaceId: workspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      { category: 'PipelineRuns', enabled: true }
      { category: 'ActivityRuns', enabled: true }
    ]
  }
}
