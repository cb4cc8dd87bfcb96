// Links the Function App as the Static Web App's backend: /api/* is proxied to it with the signed-in
// user's x-ms-client-principal, and the Function App then only accepts calls that came through the
// Static Web App (https://learn.microsoft.com/azure/static-web-apps/functions-bring-your-own).
param staticWebAppName string
param functionAppId string
param functionAppLocation string

resource site 'Microsoft.Web/staticSites@2024-04-01' existing = {
  name: staticWebAppName
}

resource backend 'Microsoft.Web/staticSites/linkedBackends@2024-04-01' = {
  parent: site
  name: 'api'
  properties: {
    backendResourceId: functionAppId
    region: functionAppLocation
  }
}
