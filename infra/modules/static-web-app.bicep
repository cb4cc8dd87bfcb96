// The Static Web App (Standard: linked backends and custom roles need it) that serves static_site/
// with the routes and role rules of its staticwebapp.config.json. azd deploys the content.
param location string
param tags object
param name string

resource site 'Microsoft.Web/staticSites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    // Content comes from `azd deploy`, not from a repository the platform watches.
    provider: 'Custom'
    allowConfigFileUpdates: true
    stagingEnvironmentPolicy: 'Disabled'
  }
}

output name string = site.name
output url string = 'https://${site.properties.defaultHostname}'
