// Everything `azd up` creates for the AI Jobs Monitor, in one resource group.
// Shape after the Azure Functions Flex Consumption azd samples: identity-based storage, Entra-only
// Azure SQL, Azure OpenAI with the data-plane role, Application Insights with Entra auth, and a
// Static Web App in front of the Function App as its linked backend.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it seeds the unique names of every resource.')
param environmentName string

@minLength(1)
@description('Region of every resource (Flex Consumption must be offered there).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Region of the Static Web App, which is offered in fewer regions; its content is served globally either way.')
@allowed([ 'centralus', 'eastus2', 'eastasia', 'westeurope', 'westus2' ])
param staticWebAppLocation string = 'westeurope'

@description('Object id of whoever runs azd (AZURE_PRINCIPAL_ID). It becomes the SQL server\'s Entra admin, so the post-provision hook can create the app\'s database user and run the migrations.')
param principalId string

@description('Kind of that principal: User locally, ServicePrincipal when a pipeline provisions.')
@allowed([ 'User', 'ServicePrincipal', 'Group' ])
param principalType string = 'User'

@description('A display name for the SQL server\'s Entra admin (the object id is what Azure checks).')
param sqlAdminLogin string = 'azd-deployer'

@description('Fully qualified name of an existing Azure SQL server (NAME.database.windows.net). Empty: create a server with Entra-only authentication.')
param existingSqlServerFqdn string = ''

@description('Database on that existing server. Ignored when a server is created.')
param existingSqlDatabaseName string = ''

@description('Use the Azure SQL free offer for the new serverless database (one per subscription).')
param sqlUseFreeLimit bool = false

@description('Name of an existing Azure OpenAI account. Empty: create one with a model deployment.')
param existingOpenAiAccountName string = ''

@description('Resource group of that existing account. Empty: the account is in this deployment\'s resource group.')
param existingOpenAiResourceGroup string = ''

@description('Model deployment the reports use; created when the account is created, or an existing one on an existing account.')
param openAiDeploymentName string = 'reports'

@description('Model of the created deployment.')
param openAiModelName string = 'gpt-4o-mini'

@description('Model version of the created deployment.')
param openAiModelVersion string = '2024-07-18'

@description('Deployment type of the created deployment (GlobalStandard, Standard, DataZoneStandard).')
param openAiDeploymentSku string = 'GlobalStandard'

@minValue(1)
@description('Capacity of the created deployment, in thousands of tokens per minute.')
param openAiDeploymentCapacity int = 10

@description('NCRONTAB schedule of the worker timer (six fields, seconds first).')
param workerSchedule string = '0 */2 * * * *'

@description('Storage queue made ready for a queue-triggered worker.')
param jobQueueName string = 'report-jobs'

@minValue(40)
@maxValue(1000)
@description('Most instances the Flex Consumption app may scale out to.')
param maximumInstanceCount int = 40

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var createSql = empty(existingSqlServerFqdn)
var createOpenAi = empty(existingOpenAiAccountName)
var functionAppName = 'func-${resourceToken}'
// Flex Consumption reads the deployment package from this container with the app's identity.
// The existing OpenAI account may live in another resource group; its role assignment goes there.
var openAiGroupName = createOpenAi || empty(existingOpenAiResourceGroup) ? 'rg-${environmentName}' : existingOpenAiResourceGroup
var deploymentContainerName = 'app-package-${take(resourceToken, 12)}'

resource group 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: group
  params: {
    location: location
    tags: tags
    workspaceName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: group
  params: {
    location: location
    tags: tags
    name: 'st${resourceToken}'
    deploymentContainerName: deploymentContainerName
    queueNames: [ jobQueueName ]
  }
}

module sql 'modules/sql.bicep' = if (createSql) {
  name: 'sql'
  scope: group
  params: {
    location: location
    tags: tags
    serverName: 'sql-${resourceToken}'
    databaseName: 'jobs'
    adminObjectId: principalId
    adminPrincipalType: principalType
    adminLogin: sqlAdminLogin
    useFreeLimit: sqlUseFreeLimit
  }
}

module openAi 'modules/openai.bicep' = if (createOpenAi) {
  name: 'openai'
  scope: group
  params: {
    location: location
    tags: tags
    name: 'oai-${resourceToken}'
    deploymentName: openAiDeploymentName
    modelName: openAiModelName
    modelVersion: openAiModelVersion
    deploymentSku: openAiDeploymentSku
    deploymentCapacity: openAiDeploymentCapacity
  }
}

module existingOpenAi 'modules/openai-existing.bicep' = if (!createOpenAi) {
  name: 'openai-existing'
  scope: resourceGroup(openAiGroupName)
  dependsOn: [ group ]
  params: {
    name: existingOpenAiAccountName
  }
}

module web 'modules/static-web-app.bicep' = {
  name: 'static-web-app'
  scope: group
  params: {
    location: staticWebAppLocation
    tags: union(tags, { 'azd-service-name': 'web' })
    name: 'stapp-${resourceToken}'
  }
}

var sqlServerFqdn = createSql ? sql.outputs.serverFqdn : existingSqlServerFqdn
var sqlDatabaseName = createSql ? sql.outputs.databaseName : existingSqlDatabaseName
var openAiEndpoint = createOpenAi ? openAi.outputs.endpoint : existingOpenAi.outputs.endpoint

module api 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: group
  params: {
    location: location
    tags: union(tags, { 'azd-service-name': 'api' })
    name: functionAppName
    planName: 'plan-${resourceToken}'
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    maximumInstanceCount: maximumInstanceCount
    sqlServerFqdn: sqlServerFqdn
    sqlDatabaseName: sqlDatabaseName
    openAiEndpoint: openAiEndpoint
    openAiDeploymentName: openAiDeploymentName
    workerSchedule: workerSchedule
    jobQueueName: jobQueueName
    siteUrl: web.outputs.url
  }
}

module apiRoles 'modules/app-roles.bicep' = {
  name: 'app-roles'
  scope: group
  params: {
    principalId: api.outputs.principalId
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

module openAiRole 'modules/openai-role.bicep' = {
  name: 'openai-role'
  scope: resourceGroup(openAiGroupName)
  params: {
    accountName: createOpenAi ? openAi.outputs.name : existingOpenAiAccountName
    principalId: api.outputs.principalId
  }
}

module webBackend 'modules/static-web-app-backend.bicep' = {
  name: 'static-web-app-backend'
  scope: group
  params: {
    staticWebAppName: web.outputs.name
    functionAppId: api.outputs.id
    functionAppLocation: location
  }
}

// azd stores these in the environment; the post-provision hook and `azd deploy` read them.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AZURE_FUNCTION_APP_PRINCIPAL_ID string = api.outputs.principalId
output AZURE_STATIC_WEB_APP_NAME string = web.outputs.name
output AZURE_STATIC_WEB_APP_URL string = web.outputs.url
output AZURE_SQL_SERVER_FQDN string = sqlServerFqdn
output AZURE_SQL_SERVER_NAME string = createSql ? sql.outputs.serverName : split(existingSqlServerFqdn, '.')[0]
output AZURE_SQL_SERVER_CREATED bool = createSql
output AZURE_SQL_DATABASE_NAME string = sqlDatabaseName
output AZURE_OPENAI_ENDPOINT string = openAiEndpoint
output AZURE_OPENAI_DEPLOYMENT string = openAiDeploymentName
output AZURE_JOB_QUEUE_NAME string = jobQueueName
