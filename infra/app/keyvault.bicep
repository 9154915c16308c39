// Key Vault in RBAC mode for the app's secrets (Gemini key, a Databricks PAT if one is used, Slack, Jira and Teams
// secrets). Secret values never pass through Bicep: operators put them in the vault (docs/deploy.md).

param name string
param location string
param tags object
param purgeProtection bool

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // The API refuses an explicit false: leave it out unless asked for.
    enablePurgeProtection: purgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
