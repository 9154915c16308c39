// One storage account for the Functions host (Durable Functions task hub PipelineAutoheal, deployment packages) and
// the app (tickets, audit, alert deliveries, audit documents). Identity only: shared keys are disabled.

param name string
param location string
param tags object
@description('The app\'s tables (TICKETS_TABLE, AUDIT_TABLE, ALERTS_TABLE).')
param tables array
@description('Containers the app writes besides the audit container (none today).')
param extraContainers array = []
param deploymentContainer string
param auditContainer string
param auditRetentionDays int
param auditCoolAfterDays int

@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS'])
param skuName string = 'Standard_LRS'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: skuName }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    // Version-level WORM needs versioning: each rewrite of an audit document keeps the previous one, immutable.
    isVersioningEnabled: true
  }
}

resource packages 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainer
  properties: { publicAccess: 'None' }
}

// The app rewrites audit-logs/YYYY-MM/<ticket>.json after every step. A container-level WORM policy would refuse
// those overwrites; version-level immutability accepts them as new versions and keeps every earlier one.
resource audit 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: auditContainer
  properties: {
    publicAccess: 'None'
    immutableStorageWithVersioning: { enabled: true }
  }
}

// The default time-based retention every new audit blob version inherits. Left unlocked on purpose: locking is
// irreversible (docs/deploy.md shows how).
resource auditRetention 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = {
  parent: audit
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: auditRetentionDays
    allowProtectedAppendWrites: false
  }
}

resource others 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for container in extraContainers: {
  parent: blobService
  name: container
  properties: { publicAccess: 'None' }
}]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource appTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for table in tables: {
  parent: tableService
  name: table
}]

// Tiering is allowed under WORM: old audit documents and their versions move to cool storage.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'audit-to-cool'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['blockBlob']
              prefixMatch: ['${auditContainer}/']
            }
            actions: {
              baseBlob: { tierToCool: { daysAfterModificationGreaterThan: auditCoolAfterDays } }
              version: { tierToCool: { daysAfterCreationGreaterThan: auditCoolAfterDays } }
            }
          }
        }
      ]
    }
  }
  dependsOn: [audit]
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
