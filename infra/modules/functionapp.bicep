// The function app on Flex Consumption: Atlas.Functions (.NET 10, isolated worker), its identity, its settings (secrets
// as Key Vault references) and the roles that identity needs, no more.
param name string
param location string
param tags object
param storageAccountName string
param storageBlobEndpoint string
param deploymentContainer string
param keyVaultName string
param insightsName string
param insightsConnectionString string
param serviceBusName string
param serviceBusNamespace string
param workspaceId string

@description('Instances kept warm for HTTP (0: scale from zero, slower first requests).')
param alwaysReadyInstances int

@description('Phones (E.164, comma-separated) that sign in as platform admins.')
param platformAdmins string

@description('Calling codes sign-in texts may go to, comma-separated (44,33,1; !1876 carves a part out of +1).')
param smsCallingCodes string

@description('The id of the access-token signing key whose secret is in Key Vault as auth-signing-key-0.')
param signingKeyId string

@description('The Twilio account texts are sent from (AC…).')
param twilioAccountSid string

@description('The Twilio Messaging Service (MG…) that picks the sending number.')
param twilioMessagingServiceSid string

@description('The Firebase project push notices go through.')
param fcmProjectId string

@description('The address receipts come from, verified in SendGrid.')
param emailFrom string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource bus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' existing = {
  name: serviceBusName
}

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: insightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

func secret(vaultName string, secretName string) string => '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=${secretName})'

// Every setting Atlas reads (local.settings.sample.json) that Azure needs; the rest are local only (the sample says which).
var settings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  APPLICATIONINSIGHTS_CONNECTION_STRING: insightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
  Storage__NamePrefix: ''
  DurableTaskHub: 'atlas'
  Flows__RetainFor: '30.00:00:00'
  Flows__PurgeSchedule: '0 30 3 * * *'
  Retention__SignInChallenges: '1.00:00:00'
  Retention__Sessions: '30.00:00:00'
  Retention__SmsLog: '30.00:00:00'
  Retention__Deliveries: '30.00:00:00'
  Retention__IdempotencyRecords: '2.00:00:00'
  Retention__PurgeSchedule: '0 45 3 * * *'
  Flows__WatchSchedule: '0 */5 * * * *'
  Flows__StuckAfter: '00:15:00'
  Lifecycles__RelayScanSchedule: '*/5 * * * * *'
  Lifecycles__MaxAttempts: '8'
  Lifecycles__ScanConcurrency: '32'
  Lifecycles__RelayGrace: '00:00:05'
  Lifecycles__StateCacheSize: '10000'
  Auth__Issuer: 'atlas'
  Auth__Audience: 'atlas-api'
  Auth__AccessTokenLifetime: '00:15:00'
  Auth__SigningKeys__0__Id: signingKeyId
  Auth__SigningKeys__0__Secret: secret(vault.name, 'auth-signing-key-0')
  Auth__CurrentKeyId: signingKeyId
  Auth__CodeKey: secret(vault.name, 'auth-code-key')
  Auth__PlatformAdmins: platformAdmins
  SmsGuard__CallingCodes: smsCallingCodes
  SmsGuard__HourlyPerCallingCode: '500'
  SmsGuard__HourlyTotal: '2000'
  SmsGuard__ConversionWindow: '00:10:00'
  SmsGuard__MinVolume: '30'
  SmsGuard__MinConversion: '0.2'
  SmsGuard__TricklePerMinute: '2'
  SmsGuard__RefreshEvery: '00:00:01'
  Sms__Sender: 'twilio'
  Sms__Twilio__AccountSid: twilioAccountSid
  Sms__Twilio__AuthToken: secret(vault.name, 'twilio-auth-token')
  Sms__Twilio__MessagingServiceSid: twilioMessagingServiceSid
  Sms__Twilio__From: ''
  Sms__Twilio__StatusCallbackUrl: 'https://${name}.azurewebsites.net/api/webhooks/twilio/sms-status'
  Push__Sender: 'fcm'
  Push__Fcm__ProjectId: fcmProjectId
  Push__Fcm__ServiceAccountJson: secret(vault.name, 'fcm-service-account')
  Email__Sender: 'sendgrid'
  Email__From: emailFrom
  Email__SendGrid__ApiKey: secret(vault.name, 'sendgrid-api-key')
  Pricing__Currency: 'GBP'
  Pricing__BookingFee: '100'
  Pricing__SurgeZones__0__Name: 'heathrow'
  Pricing__SurgeZones__0__Lat: '51.4700'
  Pricing__SurgeZones__0__Lng: '-0.4543'
  Pricing__SurgeZones__0__RadiusKm: '3'
  Pricing__SurgeZones__0__Multiplier: '1.5'
  Bookings__BidWindow: '00:01:00'
  Bookings__InviteRadiusKm: '10'
  Rides__CancellationFee: '500'
  Rides__NoShowFee: '500'
  Stripe__SecretKey: secret(vault.name, 'stripe-secret-key')
  Stripe__WebhookSecrets__0: secret(vault.name, 'stripe-webhook-secret-0')
  Stripe__BaseUrl: 'https://api.stripe.com'
  Stripe__EventMaxAttempts: '16'
  Stripe__EventRetryDelay: '00:00:10'
  Stripe__EventMaxRetryDelay: '02:00:00'
  Stripe__CatchUpSchedule: '0 */10 * * * *'
  Stripe__CatchUpOverlap: '00:05:00'
  Stripe__CatchUpFirstLookBack: '3.00:00:00'
  ServiceBus__FullyQualifiedNamespace: serviceBusNamespace
  ServiceBus__Credential: 'managedidentity'
  ServiceBus__Topic: 'atlas-events'
  Payments__HoldBufferPercent: '10'
  Payments__PlatformFeePercent: '15'
  Payments__PlatformFeeFixed: '0'
  Payments__DisputeLosses: 'Absorb'
  Settlement__Every: '1.00:00:00'
  Settlement__Schedule: '0 0 0 * * *'
  Settlement__Parallelism: '16'
  Settlement__WaitFor: '00:01:00'
  'RateLimits__sign-in__PermitLimit': '30'
  'RateLimits__sign-in__Window': '00:01:00'
  RateLimits__location__PermitLimit: '12'
  RateLimits__location__Window: '00:01:00'
  Http__TrustedHops: '1'
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [for setting in items(settings): { name: setting.key, value: setting.value }]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainer}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: 100
        instanceMemoryMB: 2048
        alwaysReady: alwaysReadyInstances > 0 ? [{ name: 'http', instanceCount: alwaysReadyInstances }] : []
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
  }
}

// Least privilege for what the app's identity does: the host's leases and the deployment package (blobs), the effect
// queues and Durable's control and work-item queues (queues), the lifecycle and ledger tables and Durable's history and
// instances (tables), the secrets behind its Key Vault references, business events, and telemetry.
var storageRoles = [
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
]

resource storageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: {
  name: guid(storage.id, app.id, role)
  scope: storage
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource secretsAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, app.id, 'secrets-user')
  scope: vault
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6') // Key Vault Secrets User
  }
}

resource eventsAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(bus.id, app.id, 'data-sender')
  scope: bus
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39') // Azure Service Bus Data Sender
  }
}

resource telemetryAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, app.id, 'metrics-publisher')
  scope: insights
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb') // Monitoring Metrics Publisher
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: app
  properties: {
    workspaceId: workspaceId
    logs: [{ category: 'FunctionAppLogs', enabled: true }]
  }
}

output name string = app.name
output hostName string = app.properties.defaultHostName
