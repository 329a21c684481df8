// AzureWebJobsStorage: Atlas's tables and queues, Durable's task hub, the host's leases and the deployment package.
// Reached only with Entra identities: shared keys are off.
param name string
param location string
param tags object

@description('The blob container Flex Consumption deploys the app package to.')
param deploymentContainer string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource deployments 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: deploymentContainer
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
