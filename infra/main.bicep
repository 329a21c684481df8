// Atlas in Azure: `azd up` (or `az deployment sub create -f infra/main.bicep -p infra/main.parameters.json`).
targetScope = 'subscription'

@minLength(1)
@maxLength(20)
@description('Names the environment (dev, prod…): every resource name is derived from it.')
param environmentName string

@description('Where the resources live.')
param location string

@description('Instances kept warm for HTTP on Flex Consumption (0: scale from zero).')
param alwaysReadyInstances int = 0

@description('Phones (E.164, comma-separated) that sign in as platform admins.')
param platformAdmins string

@description('Calling codes sign-in texts may go to, comma-separated (the launch markets; !1876 carves a part out of +1).')
param smsCallingCodes string = '44,33,1'

@description('The id of the access-token signing key whose secret is in Key Vault as auth-signing-key-0.')
param signingKeyId string = 'key-1'

@description('The Twilio account texts are sent from (AC…); its auth token is in Key Vault as twilio-auth-token.')
param twilioAccountSid string

@description('The Twilio Messaging Service (MG…) that picks the sending number.')
param twilioMessagingServiceSid string

@description('The Firebase project push notices go through; the service account\'s JSON key is in Key Vault as fcm-service-account.')
param fcmProjectId string

@description('The address receipts come from, verified in SendGrid; the API key is in Key Vault as sendgrid-api-key.')
param emailFrom string

@description('Where the alerts (infra/modules/alerts.bicep, docs/runbook.md) are mailed: an operator or a team\'s list.')
param alertEmail string

@description('Who deploys (azd sets AZURE_PRINCIPAL_ID): given read access to the task hub for the predeploy check.')
param principalId string = ''

var tags = { 'azd-env-name': environmentName, app: 'atlas' }
var token = toLower(uniqueString(subscription().id, environmentName, location))

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-atlas-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  scope: group
  params: { name: 'atlas-${environmentName}', location: location, tags: tags }
}

module alerts 'modules/alerts.bicep' = {
  scope: group
  params: { name: 'atlas-${environmentName}', location: location, tags: tags, insightsName: monitoring.outputs.insightsName, alertEmail: alertEmail }
}

module storage 'modules/storage.bicep' = {
  scope: group
  params: { name: 'statlas${take(token, 16)}', location: location, tags: tags, deploymentContainer: 'app-package', deployerPrincipalId: principalId }
}

module vault 'modules/keyvault.bicep' = {
  scope: group
  params: { name: 'kv-atlas-${take(token, 12)}', location: location, tags: tags, workspaceId: monitoring.outputs.workspaceId }
}

module events 'modules/servicebus.bicep' = {
  scope: group
  params: { name: 'sb-atlas-${token}', location: location, tags: tags, workspaceId: monitoring.outputs.workspaceId }
}

module app 'modules/functionapp.bicep' = {
  scope: group
  params: {
    name: 'func-atlas-${token}'
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainer: 'app-package'
    keyVaultName: vault.outputs.name
    insightsName: monitoring.outputs.insightsName
    insightsConnectionString: monitoring.outputs.connectionString
    serviceBusName: events.outputs.name
    serviceBusNamespace: events.outputs.fullyQualifiedNamespace
    workspaceId: monitoring.outputs.workspaceId
    alwaysReadyInstances: alwaysReadyInstances
    platformAdmins: platformAdmins
    smsCallingCodes: smsCallingCodes
    signingKeyId: signingKeyId
    twilioAccountSid: twilioAccountSid
    twilioMessagingServiceSid: twilioMessagingServiceSid
    fcmProjectId: fcmProjectId
    emailFrom: emailFrom
  }
}

output AZURE_RESOURCE_GROUP string = group.name
output AZURE_KEY_VAULT_NAME string = vault.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output API_URL string = 'https://${app.outputs.hostName}/api'
