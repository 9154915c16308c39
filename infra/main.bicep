targetScope = 'subscription'

// Pipeline Autoheal: everything `azd up` provisions. The guide is docs/deploy.md.

@minLength(1)
@maxLength(64)
@description('The azd environment name: part of the resource token and of every resource tag.')
param environmentName string

@minLength(1)
@description('Region of every resource; it must offer the Flex Consumption plan.')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the person (or pipeline) running azd; azd fills it from AZURE_PRINCIPAL_ID. Empty: nobody.')
param principalId string = ''

@allowed(['User', 'ServicePrincipal', 'Group'])
@description('What principalId is.')
param principalType string = 'User'

@description('Give principalId the app\'s data roles (storage, Web PubSub) and Key Vault Secrets Officer, for doctor and secret rotation.')
param grantDeveloperAccess bool = true

// Resource names: each can be set; otherwise it is derived from the resource token.
param resourceGroupName string = ''
param identityName string = ''
param storageAccountName string = ''
param logAnalyticsName string = ''
param applicationInsightsName string = ''
param webPubSubName string = ''
param keyVaultName string = ''
param appServicePlanName string = ''
param functionAppName string = ''
param actionGroupName string = ''

@description('Resource ids of the Data Factories to watch and heal, comma-separated (each gets a role assignment, a diagnostic setting and, with wireAlerts, an alert rule).')
param dataFactoryIds string = ''

@description('Databricks workspaces the app may repair runs in: "workspaceId=https://adb-….azuredatabricks.net" pairs, comma-separated (DATABRICKS_WORKSPACES).')
param databricksWorkspaces string = ''

@description('App settings whose values are secrets already stored in the Key Vault, comma-separated (for example "GEMINI_API_KEY"). Each becomes a Key Vault reference; the others stay empty.')
param vaultSecretSettings string = ''

@description('Audience (application id URI) of an Entra app registration dashboards sign in with; empty: Entra sign-in off.')
param dashboardEntraAudience string = ''

@description('Deploy in dry run (DRY_RUN): the app classifies, decides and records, but starts no rerun. A safe first week.')
param dryRun bool = false

@description('Create the action group and the alert rules. The action group URL carries the function key, which exists only once the code runs: set this after the first `azd up`.')
param wireAlerts bool = false

@description('Object id of an Entra app registration for a secure webhook; empty: a plain webhook with the function key only.')
param alertWebhookAppObjectId string = ''

@description('Identifier URI of that app registration (api://…).')
param alertWebhookAppIdentifierUri string = ''

@allowed(['PT5M', 'PT10M', 'PT15M'])
@description('How often the failed-run alert rules run; each looks back twice as far.')
param alertEvaluationFrequency string = 'PT5M'

@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@allowed(['Free_F1', 'Standard_S1'])
@description('Free_F1 carries 20 dashboard connections and 20,000 messages a day; Standard_S1 1,000 connections per unit.')
param webPubSubSku string = 'Free_F1'

@minValue(30)
param logRetentionDays int = 30

@minValue(1)
@description('Days each audit blob version stays immutable (WORM); the policy is left unlocked: lock it once you are sure.')
param auditRetentionDays int = 365

@minValue(0)
@description('Days after which audit blobs move to the cool tier.')
param auditCoolAfterDays int = 30

@description('Purge protection on the Key Vault (cannot be turned off again; `azd down --purge` then leaves the vault soft-deleted).')
param keyVaultPurgeProtection bool = false

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var factoryIds = filter(map(split(dataFactoryIds, ','), id => trim(id)), id => !empty(id))

// The app's storage names: the defaults of every *_TABLE and *_CONTAINER setting (test/infra/settings.test.ts).
var appTables = ['tickets', 'audit', 'alerts', 'analysiscache', 'control', 'users']
var auditContainer = 'audit-logs'
// Containers the app writes besides the audit container (a *_CONTAINER setting added later goes here).
var otherContainers = []
var webPubSubHub = 'tickets'

var names = {
  resourceGroup: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  identity: !empty(identityName) ? identityName : '${abbrs.managedIdentityUserAssignedIdentities}autoheal-${resourceToken}'
  storage: !empty(storageAccountName) ? storageAccountName : '${abbrs.storageStorageAccounts}${resourceToken}'
  logAnalytics: !empty(logAnalyticsName) ? logAnalyticsName : '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
  appInsights: !empty(applicationInsightsName) ? applicationInsightsName : '${abbrs.insightsComponents}${resourceToken}'
  webPubSub: !empty(webPubSubName) ? webPubSubName : '${abbrs.signalRServiceWebPubSub}${resourceToken}'
  keyVault: !empty(keyVaultName) ? keyVaultName : '${abbrs.keyVaultVaults}${resourceToken}'
  plan: !empty(appServicePlanName) ? appServicePlanName : '${abbrs.webServerFarms}${resourceToken}'
  functionApp: !empty(functionAppName) ? functionAppName : '${abbrs.webSitesFunctions}autoheal-${resourceToken}'
  actionGroup: !empty(actionGroupName) ? actionGroupName : '${abbrs.insightsActionGroups}autoheal-${resourceToken}'
  deploymentContainer: 'app-package-${resourceToken}'
}

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.appInsights
    location: location
    tags: tags
    retentionInDays: logRetentionDays
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    tables: appTables
    deploymentContainer: names.deploymentContainer
    auditContainer: auditContainer
    extraContainers: otherContainers
    auditRetentionDays: auditRetentionDays
    auditCoolAfterDays: auditCoolAfterDays
  }
}

module webPubSub 'app/webpubsub.bicep' = {
  name: 'webpubsub'
  scope: rg
  params: {
    name: names.webPubSub
    location: location
    tags: tags
    sku: webPubSubSku
    hubName: webPubSubHub
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    purgeProtection: keyVaultPurgeProtection
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    identityName: identity.outputs.name
    storageAccountName: storage.outputs.name
    deploymentContainer: names.deploymentContainer
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
    vaultSecretSettings: vaultSecretSettings
    webPubSubEndpoint: webPubSub.outputs.endpoint
    databricksWorkspaces: databricksWorkspaces
    dashboardEntraAudience: dashboardEntraAudience
    secureWebhookAudience: alertWebhookAppIdentifierUri
    dryRun: dryRun
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    identityPrincipalId: identity.outputs.principalId
    developerPrincipalId: grantDeveloperAccess ? principalId : ''
    developerPrincipalType: principalType
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    webPubSubName: webPubSub.outputs.name
    keyVaultName: keyVault.outputs.name
  }
}

// Each factory may live in another resource group or subscription: its role assignment and diagnostic setting go there.
module factories 'app/factory.bicep' = [for factoryId in factoryIds: {
  name: 'factory-${uniqueString(factoryId)}'
  scope: resourceGroup(split(factoryId, '/')[2], split(factoryId, '/')[4])
  params: {
    factoryName: last(split(factoryId, '/'))
    identityPrincipalId: identity.outputs.principalId
    workspaceId: monitoring.outputs.workspaceId
    diagnosticSettingName: '${abbrs.insightsDiagnosticSettings}autoheal-${resourceToken}'
  }
}]

module alerts 'app/alerts.bicep' = if (wireAlerts) {
  name: 'alerts'
  scope: rg
  params: {
    actionGroupName: names.actionGroup
    rulePrefix: abbrs.insightsScheduledQueryRules
    location: location
    tags: tags
    functionAppName: api.outputs.name
    workspaceId: monitoring.outputs.workspaceId
    dataFactoryIds: factoryIds
    evaluationFrequency: alertEvaluationFrequency
    secureWebhookObjectId: alertWebhookAppObjectId
    secureWebhookIdentifierUri: alertWebhookAppIdentifierUri
  }
  dependsOn: [factories]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AUTOHEAL_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output PUBLIC_BASE_URL string = api.outputs.uri
output ALERT_WEBHOOK_AZURE_MONITOR string = '${api.outputs.uri}/api/alerts/azure-monitor'
output ALERT_WEBHOOK_DATABRICKS string = '${api.outputs.uri}/api/alerts/databricks'
output STORAGE_ACCOUNT_NAME string = storage.outputs.name
output WEBPUBSUB_ENDPOINT string = webPubSub.outputs.endpoint
output WEBPUBSUB_HUB string = webPubSubHub
output DATABRICKS_WORKSPACES string = databricksWorkspaces
output KEY_VAULT_NAME string = keyVault.outputs.name
output LOG_ANALYTICS_WORKSPACE_ID string = monitoring.outputs.workspaceId
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
