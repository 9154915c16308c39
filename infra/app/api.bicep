// The function app on the Flex Consumption plan (Node 22) and its settings. The settings list exactly the keys of
// the zod schema in src/shared/config.ts plus the host's own; test/infra/settings.test.ts holds both to that.

param name string
param planName string
param location string
param tags object
param identityName string
param storageAccountName string
param deploymentContainer string
param applicationInsightsName string
param keyVaultName string
@description('Comma-separated app settings whose secrets are in the vault; the others stay empty.')
param vaultSecretSettings string
param webPubSubEndpoint string
param databricksWorkspaces string
@description('Audience (application id URI) of the Entra app registration dashboards sign in with; empty: Entra sign-in off.')
param dashboardEntraAudience string = ''
@description('Audience of the secure webhook tokens (the app registration\'s identifier URI); empty: secure webhook off.')
param secureWebhookAudience string = ''
@description('Start in dry run: the app decides and records, but starts no rerun.')
param dryRun bool = false
param maximumInstanceCount int
param instanceMemoryMB int

var vaultSecrets = [for setting in split(vaultSecretSettings, ','): trim(setting)]

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve with the user-assigned identity, not a system one.
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: { name: 'node', version: '22' }
    }
  }
}

// Deployments go through Entra (azd uses a token); basic publishing credentials stay off.
resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: { allow: false }
}

resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    // The host. Flex Consumption takes the runtime from functionAppConfig and refuses FUNCTIONS_WORKER_RUNTIME and
    // FUNCTIONS_EXTENSION_VERSION. Durable Functions on Azure Storage needs the blob, queue and table endpoints.
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identity.properties.clientId
    AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
    // DefaultAzureCredential (ARM, Databricks, Tables, Blobs, Web PubSub) picks the user-assigned identity by this.
    AZURE_CLIENT_ID: identity.properties.clientId

    // The app: src/shared/config.ts. Literal values restate the schema's defaults (the test compares them with
    // local.settings.example.json); secrets are Key Vault references or empty, never values.
    STORAGE_CONNECTION_STRING: ''
    STORAGE_ACCOUNT_NAME: storage.name
    TICKETS_TABLE: 'tickets'
    AUDIT_TABLE: 'audit'
    ALERTS_TABLE: 'alerts'
    AUDIT_CONTAINER: 'audit-logs'

    ARM_ENDPOINT: 'https://management.azure.com'
    ARM_ACCESS_TOKEN: contains(vaultSecrets, 'ARM_ACCESS_TOKEN') ? '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=arm-access-token)' : ''
    DATABRICKS_WORKSPACES: databricksWorkspaces
    DATABRICKS_TOKEN: contains(vaultSecrets, 'DATABRICKS_TOKEN') ? '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=databricks-token)' : ''
    DATABRICKS_WEBHOOK_USER: 'autoheal'
    DATABRICKS_WEBHOOK_SECRET: contains(vaultSecrets, 'DATABRICKS_WEBHOOK_SECRET') ? '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=databricks-webhook-secret)' : ''
    SECURE_WEBHOOK_TENANT_ID: empty(secureWebhookAudience) ? '' : tenant().tenantId
    SECURE_WEBHOOK_AUDIENCE: secureWebhookAudience
    SECURE_WEBHOOK_ROLE: 'ActionGroupsSecureWebhook'
    SECURE_WEBHOOK_JWKS_URL: ''
    HTTP_TIMEOUT_MS: '30000'

    GEMINI_API_KEY: contains(vaultSecrets, 'GEMINI_API_KEY') ? '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=gemini-api-key)' : ''
    GEMINI_MODEL: 'gemini-2.5-flash'
    GEMINI_BASE_URL: ''
    GEMINI_TIMEOUT_MS: '20000'
    LLM_ERROR_TEXT_CHARS: '4000'
    OLLAMA_URL: ''
    OLLAMA_MODEL: 'llama3.1:8b'
    OLLAMA_TIMEOUT_MS: '60000'
    ANALYSIS_CACHE_TABLE: 'analysiscache'
    ANALYSIS_CACHE_TTL_MINUTES: '1440'

    WEBPUBSUB_CONNECTION_STRING: ''
    WEBPUBSUB_ENDPOINT: webPubSubEndpoint
    WEBPUBSUB_HUB: 'tickets'

    MAX_AUTO_HEAL_ATTEMPTS: '3'
    RETRY_BASE_DELAY_SECONDS: '60'
    CAPACITY_RETRY_DELAY_SECONDS: '300'
    CAPACITY_MAX_ATTEMPTS: '1'
    INTEGRATION_RUNTIME_WAIT_MINUTES: '120'
    MAX_UPSTREAM_WAIT_HOURS: '24'
    PIPELINE_OVERRIDES: '[]'
    MAINTENANCE_WINDOWS: '[]'
    APPROVAL_REQUIRED_CLASSES: ''
    APPROVAL_TIMEOUT_MINUTES: '60'
    APPROVAL_DEFAULT: 'reject'
    DRY_RUN: dryRun ? 'true' : 'false'
    BREAKER_FAILURES: '3'
    BREAKER_WINDOW_MINUTES: '60'
    BREAKER_COOLDOWN_MINUTES: '60'
    MAX_CONCURRENT_RERUNS: '20'
    CONTROL_TABLE: 'control'
    POLL_INTERVAL_SECONDS: '60'
    RUN_DEADLINE_MINUTES: '360'
    PUBLIC_BASE_URL: 'https://${site.properties.defaultHostName}'

    USERS_TABLE: 'users'
    AUTH_TOKEN_SECRET: contains(vaultSecrets, 'AUTH_TOKEN_SECRET') ? '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=auth-token-secret)' : ''
    AUTH_TOKEN_MINUTES: '15'
    AUTH_EMAIL_DOMAINS: ''
    ENTRA_TENANT_ID: empty(dashboardEntraAudience) ? '' : tenant().tenantId
    ENTRA_AUDIENCE: dashboardEntraAudience
    ENTRA_ISSUER: ''
    ENTRA_JWKS_URL: ''
    LOCAL_ADMIN_EMAIL: 'admin@autoheal.local'
    LOCAL_ADMIN_PASSWORD: contains(vaultSecrets, 'LOCAL_ADMIN_PASSWORD') ? '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=local-admin-password)' : ''
    METRICS_SCRAPE_KEY: contains(vaultSecrets, 'METRICS_SCRAPE_KEY') ? '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=metrics-scrape-key)' : ''
    OWNERSHIP_RULES: '[]'
    SLA_MINUTES: 'P1=60,P2=240,P3=1440,P4=4320'
  }
}

output name string = site.name
output uri string = 'https://${site.properties.defaultHostName}'
