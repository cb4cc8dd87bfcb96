// An Azure OpenAI account that accepts Entra tokens only (local auth off, so no API key exists to
// leak or rotate), with the model deployment the reports use.
param location string
param tags object
param name string
param deploymentName string
param modelName string
param modelVersion string
param deploymentSku string
param deploymentCapacity int

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  // checkov:skip=CKV_AZURE_134:Flex Consumption without a virtual network calls the public endpoint; it accepts Entra tokens only (disableLocalAuth), from identities granted the OpenAI User role.
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    // A custom subdomain is what makes Entra (token) authentication possible.
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource deployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: deploymentName
  sku: {
    name: deploymentSku
    capacity: deploymentCapacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: modelName
      version: modelVersion
    }
    versionUpgradeOption: 'OnceNewDefaultVersionAvailable'
  }
}

output name string = account.name
output endpoint string = account.properties.endpoint
