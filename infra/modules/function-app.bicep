// The Function App on the Flex Consumption plan (Linux, Python 3.11) with a system-assigned managed
// identity. Every connection it makes is identity-based: storage, Application Insights, Azure SQL and
// Azure OpenAI. App settings hold names and endpoints only; no key or password is ever set here.
param location string
param tags object
param name string
param planName string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string
param maximumInstanceCount int
param sqlServerFqdn string
param sqlDatabaseName string
param openAiEndpoint string
param openAiDeploymentName string
param workerSchedule string
param jobQueueName string

@description('The admin site\'s URL (the Static Web App): alert links and the allowed origin of state-changing calls.')
param siteUrl string

@description('Memory of each instance; 2048 MB is the Flex Consumption default.')
@allowed([ 512, 2048, 4096 ])
param instanceMemoryMB int = 2048

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  // checkov:skip=CKV_AZURE_225:Zone redundancy on Flex Consumption needs always-ready instances, which cost money at idle; an admin monitor can wait out a zone outage.
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

// Passwordless ODBC: the app adds an Entra token for https://database.windows.net/.default itself
// (SQL_USE_MANAGED_IDENTITY), so the string names only the server and database.
var sqlConnectionString = 'Driver={ODBC Driver 18 for SQL Server};Server=tcp:${sqlServerFqdn},1433;Database=${sqlDatabaseName};Encrypt=yes;TrustServerCertificate=no;Connection Timeout=30'

var appSettings = {
  // Identity-based host storage (https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity).
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__blobServiceUri: storageAccount.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: storageAccount.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: storageAccount.properties.primaryEndpoints.table
  // Entra-authenticated telemetry; the connection string alone is refused (DisableLocalAuth).
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
  DB_BACKEND: 'mssql'
  SQL_CONNECTION_STRING: sqlConnectionString
  SQL_USE_MANAGED_IDENTITY: 'true'
  // Static Web Apps, as the linked backend's front door, strips forged x-ms-client-principal headers.
  AUTH_MODE: 'platform'
  ADMIN_BASE_URL: siteUrl
  ALLOWED_ORIGINS: siteUrl
  REPORT_GENERATOR: 'azure_openai'
  AZURE_OPENAI_ENDPOINT: openAiEndpoint
  AZURE_OPENAI_DEPLOYMENT: openAiDeploymentName
  WORKER_SCHEDULE: workerSchedule
  JOB_QUEUE_NAME: jobQueueName
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  // checkov:skip=CKV_AZURE_222:The Static Web App's linked backend reaches the app over its public endpoint; a private endpoint needs a virtual network that SWA cannot join. Callers other than the Static Web App are refused by the authentication SWA configures on link.
  // checkov:skip=CKV_AZURE_17:Client certificates would refuse the Static Web App's proxied calls; callers are authenticated by Entra ID through Static Web Apps instead.
  // checkov:skip=CKV_AZURE_212:Flex Consumption scales from zero; always-ready instances would bill at idle, and the timer and queue catch up after a cold start.
  // checkov:skip=CKV_AZURE_213:Health check (instance replacement behind the App Service load balancer) is not offered on Flex Consumption; GET /api/admin/health reports worker health instead.
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    publicNetworkAccess: 'Enabled'
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageAccount.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'python'
        version: '3.11'
      }
    }
    siteConfig: {
      appSettings: [for setting in items(appSettings): { name: setting.key, value: setting.value }]
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
  }
}

// Basic (publishing-credential) auth off for FTP and the SCM site: azd deploys with Entra tokens.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

output id string = functionApp.id
output name string = functionApp.name
output principalId string = functionApp.identity.principalId
