// CallBalancer on Azure: one resource group with a Flex Consumption Function App, its storage account,
// a user-assigned managed identity with data-plane roles, and Application Insights over Log Analytics.
// Deployed by `azd up` (azure.yaml at the repository root); compiled offline by infra/build.sh.
// Every module is local (infra/modules): no registry modules, so the template builds without a network.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; seeds the resource names and tags every resource with azd-env-name.')
param environmentName string

@minLength(1)
@description('Azure region for every resource; it must offer the Flex Consumption plan.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Resource group name; empty means rg-<environmentName>.')
param resourceGroupName string = ''

// 512 MB by default: Flex Consumption bills each instance's active period with a 1,000 ms minimum, so a
// timer every 15 seconds costs at least 172,800 instance-seconds a month whatever it does; at 512 MB that is a
// quarter of the GB-seconds of 2048 MB (see docs/cost.md). Raise it if a rebalance needs more than 0.25 core.
@description('Memory per Function App instance in MB (512, 2048 or 4096).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 512

@description('Upper bound on Function App instances (Flex Consumption accepts 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Six-field CRON for the rebalance timer (default every 15 seconds).')
param rebalanceSchedule string = '*/15 * * * * *'

@description('Six-field CRON for the forecast refresh timer (default a minute after each 15-minute telephony interval).')
param forecastSchedule string = '0 1,16,31,46 * * * *'

@description('Six-field CRON for the retention clean-up timer (default 02:30 UTC daily).')
param retentionSchedule string = '0 30 2 * * *'

@description('Six-field CRON for the nightly KPI roll-up timer (default 02:45 UTC daily).')
param kpiRollupSchedule string = '0 45 2 * * *'

@description('Days of decision, snapshot, telephony and call history kept (more than the 7-day age limit of accepted events).')
@minValue(8)
param retentionDays int = 90

@description('Storage queue the rebalance timer fans work items out to.')
@minLength(3)
@maxLength(63)
param rebalanceWorkQueueName string = 'rebalance-work'

@description('Call queues per rebalance work item.')
@minValue(1)
param rebalanceQueuesPerWorkItem int = 25

@description('Shared secret for webhook signatures (HMAC). Empty disables signed webhooks.')
@secure()
param webhookSigningSecret string = ''

@description('Twilio auth token that signs TaskRouter callbacks (X-Twilio-Signature). Empty: Twilio callbacks are refused (403).')
@secure()
param twilioAuthToken string = ''

@description('Public base URL Twilio calls, scheme and host (e.g. https://cb-func.azurewebsites.net); part of what Twilio signs. Empty: the request\'s own host.')
param publicBaseUrl string = ''

@description('Client id of the Entra ID app registration supervisors sign in with (App Service authentication; app role "supervisor"). Empty: no authentication is configured and every supervisor endpoint answers 401, as the app never trusts a principal header the platform has not set.')
param supervisorAuthClientId string = ''

@description('Client secret of that registration, for the sign-in code flow. Empty: the registration must allow ID tokens (implicit flow).')
@secure()
param supervisorAuthClientSecret string = ''

@description('E-mail address the operational alerts go to (rebalance stalled, storage unavailable, 5xx, failed jobs). Empty: the alert rules are created without an action group.')
param alertEmail string = ''

@description('Days the Log Analytics workspace keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

// One short, stable token per subscription, environment and region keeps global names (storage, site) unique.
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = 'func-${resourceToken}'
var deploymentContainerName = 'app-package-${resourceToken}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    workQueueName: rebalanceWorkQueueName
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    location: location
    tags: tags
    nameToken: resourceToken
    alertEmail: alertEmail
  }
}

module roles 'modules/role-assignments.bicep' = {
  name: 'role-assignments'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    principalId: identity.outputs.principalId
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    serviceName: 'api'
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    identityResourceId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    rebalanceSchedule: rebalanceSchedule
    forecastSchedule: forecastSchedule
    retentionSchedule: retentionSchedule
    kpiRollupSchedule: kpiRollupSchedule
    retentionDays: retentionDays
    rebalanceWorkQueueName: storage.outputs.workQueueName
    rebalanceQueuesPerWorkItem: rebalanceQueuesPerWorkItem
    webhookSigningSecret: webhookSigningSecret
    twilioAuthToken: twilioAuthToken
    publicBaseUrl: publicBaseUrl
    supervisorAuthClientId: supervisorAuthClientId
    supervisorAuthClientSecret: supervisorAuthClientSecret
  }
  // The host reads storage as soon as it starts: grant the roles first.
  dependsOn: [
    roles
  ]
}

// Outputs become azd environment values (azd env get-values).
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
// The name the azd Functions templates output (their hooks and docs read it).
output AZURE_FUNCTION_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_TABLE_ENDPOINT string = 'https://${storage.outputs.name}.table.${environment().suffixes.storage}'
output AZURE_STORAGE_QUEUE_ENDPOINT string = 'https://${storage.outputs.name}.queue.${environment().suffixes.storage}'
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
