// AzureWebJobsStorage: Atlas's tables and queues, Durable's task hub, the host's leases and the deployment package.
// Reached only with Entra identities: shared keys are off.
param name string
param location string
param tags object

@description('The blob container Flex Consumption deploys the app package to.')
param deploymentContainer string

@description('Who runs `azd deploy` (azd sets AZURE_PRINCIPAL_ID): its predeploy check reads the task hub and the queues.')
param deployerPrincipalId string = ''

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

// Read-only: the predeploy check (azure.yaml, Atlas.Deploy) looks for retired flows still running before a release.
var deployerRoles = [
  '76199698-9eea-4c19-bc75-cec21354c6b6' // Storage Table Data Reader
  '19e7f393-937e-4f77-808e-94535e297925' // Storage Queue Data Reader
]

resource deployerAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in deployerRoles: if (!empty(deployerPrincipalId)) {
  name: guid(account.id, deployerPrincipalId, role)
  scope: account
  properties: {
    principalId: deployerPrincipalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
