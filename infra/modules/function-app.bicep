// The Flex Consumption (FC1) plan and the Function App that runs CallBalancer.Functions.
// Runtime, scale and the deployment package location live in functionAppConfig (Flex Consumption does not
// accept FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION or WEBSITE_RUN_FROM_PACKAGE app settings).
// Every connection is identity-based: no connection string carries a key.

@description('Name of the Function App (also its default host name).')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region.')
param location string

@description('Tags applied to the plan; the app also gets azd-service-name.')
param tags object

@description('azd service name from azure.yaml; azd finds the app to deploy to by this tag.')
param serviceName string

@description('Storage account used by the Functions host and by CallBalancer (tables, queues).')
param storageAccountName string

@description('Blob endpoint of the storage account, ending in a slash.')
param storageBlobEndpoint string

@description('Blob container that holds the deployment package.')
param deploymentContainerName string

@description('Resource id of the user-assigned managed identity.')
param identityResourceId string

@description('Client id of the user-assigned managed identity.')
param identityClientId string

@description('Application Insights connection string (local auth is disabled; ingestion needs an Entra token).')
param applicationInsightsConnectionString string

@description('Memory per instance in MB; CPU is allocated in proportion (512 MB = 0.25 core, 2048 MB = 1 core, 4096 MB = 2 cores).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Upper bound on instances the app scales out to (Flex Consumption accepts 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Six-field CRON for the rebalance timer, read by [TimerTrigger("%REBALANCE_SCHEDULE%")].')
param rebalanceSchedule string

@description('Six-field CRON for the forecast refresh timer.')
param forecastSchedule string

@description('Six-field CRON for the retention clean-up timer.')
param retentionSchedule string

@description('Six-field CRON for the nightly KPI roll-up timer.')
param kpiRollupSchedule string

@description('Days of decision, snapshot, telephony and call history kept before the retention run deletes it (more than the 7-day age limit of accepted events).')
@minValue(8)
param retentionDays int

@description('Storage queue the rebalance timer fans work items out to, one per group of call queues.')
param rebalanceWorkQueueName string

@description('Call queues per rebalance work item.')
@minValue(1)
param rebalanceQueuesPerWorkItem int

@description('Shared secret for webhook signatures (HMAC). Empty disables signed webhooks.')
@secure()
param webhookSigningSecret string

@description('Twilio auth token that signs TaskRouter callbacks. Empty: Twilio callbacks are refused (403).')
@secure()
param twilioAuthToken string

@description('Public base URL Twilio calls (scheme and host). Empty: the request\'s own host.')
param publicBaseUrl string

var storageSuffix = environment().suffixes.storage

@description('Client id of the Entra ID app registration supervisors sign in with. Empty: no App Service authentication.')
param supervisorAuthClientId string

@description('Client secret of that registration (code flow); empty for the implicit ID-token flow.')
@secure()
param supervisorAuthClientSecret string

// The app setting App Service authentication reads the client secret from.
var authSecretSettingName = 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET'

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    // Linux.
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityResourceId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // Functions host storage (timer leases, queue triggers) through the managed identity.
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storageAccountName
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        // DefaultAzureCredential picks the user-assigned identity from AZURE_CLIENT_ID.
        {
          name: 'AZURE_CLIENT_ID'
          value: identityClientId
        }
        // Application Insights with Entra authentication (the component has local auth disabled).
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: applicationInsightsConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identityClientId};Authorization=AAD'
        }
        // Schedules are settings, so a cadence change is a configuration change, not a release.
        {
          name: 'REBALANCE_SCHEDULE'
          value: rebalanceSchedule
        }
        {
          name: 'FORECAST_SCHEDULE'
          value: forecastSchedule
        }
        {
          name: 'RETENTION_SCHEDULE'
          value: retentionSchedule
        }
        {
          name: 'KPI_ROLLUP_SCHEDULE'
          value: kpiRollupSchedule
        }
        // CallBalancer options (section CallBalancer). Endpoints plus a client id, never a connection string.
        {
          name: 'CallBalancer__Storage__TableEndpoint'
          value: 'https://${storageAccountName}.table.${storageSuffix}'
        }
        {
          name: 'CallBalancer__Storage__QueueEndpoint'
          value: 'https://${storageAccountName}.queue.${storageSuffix}'
        }
        {
          name: 'CallBalancer__Storage__ManagedIdentityClientId'
          value: identityClientId
        }
        {
          name: 'CallBalancer__Retention__Days'
          value: string(retentionDays)
        }
        {
          name: 'CallBalancer__Rebalance__WorkQueueName'
          value: rebalanceWorkQueueName
        }
        {
          // The queue trigger's binding expression (%REBALANCE_WORK_QUEUE%) reads a flat app setting.
          name: 'REBALANCE_WORK_QUEUE'
          value: rebalanceWorkQueueName
        }
        {
          name: 'CallBalancer__Rebalance__QueuesPerWorkItem'
          value: string(rebalanceQueuesPerWorkItem)
        }
        {
          name: 'CallBalancer__Webhooks__SigningSecret'
          value: webhookSigningSecret
        }
        {
          name: 'CallBalancer__Twilio__AuthToken'
          value: twilioAuthToken
        }
        {
          name: 'CallBalancer__PublicBaseUrl'
          value: publicBaseUrl
        }
        {
          name: authSecretSettingName
          value: supervisorAuthClientSecret
        }
      ]
    }
  }
}

// App Service authentication for the supervisor console. Anonymous requests still reach the app (webhooks and desktops
// carry function keys and signatures); the platform strips any X-MS-CLIENT-PRINCIPAL a client sends and sets its own
// for a signed-in user, and sets WEBSITE_AUTH_ENABLED, without which the app trusts no principal header.
resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(supervisorAuthClientId)) {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: supervisorAuthClientId
          clientSecretSettingName: empty(supervisorAuthClientSecret) ? null : authSecretSettingName
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${supervisorAuthClientId}'
            supervisorAuthClientId
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: true
      }
    }
  }
}

@description('Name of the Function App.')
output name string = functionApp.name

@description('Default host name of the Function App.')
output defaultHostName string = functionApp.properties.defaultHostName
