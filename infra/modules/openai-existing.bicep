// Reads the endpoint of an Azure OpenAI account that already exists (in its own resource group).
param name string

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: name
}

output endpoint string = account.properties.endpoint
