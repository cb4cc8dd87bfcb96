// The Function App's own storage: host state (timer schedule monitor, locks), the Flex Consumption
// deployment package, and the queue made ready for a queue-triggered worker. Shared keys are off:
// the app reaches it with its managed identity only.
param location string
param tags object
param name string
param deploymentContainerName string
param queueNames array

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  // checkov:skip=CKV_AZURE_35:Flex Consumption without a virtual network has no fixed outbound addresses to allow, so the network rule must allow; shared keys are off and every caller needs an Entra role.
  // checkov:skip=CKV_AZURE_59:As CKV_AZURE_35: the public endpoint stays reachable, but anonymous blob access and shared keys are off.
  // checkov:skip=CKV_AZURE_206:Host state and the deployment package are rebuilt by a deploy; geo-replication would only add cost.
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      // Flex Consumption without a virtual network has no fixed outbound addresses to allow.
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queueName in queueNames: {
  parent: queueService
  name: queueName
}]

output name string = account.name
