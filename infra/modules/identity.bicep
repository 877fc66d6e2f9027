// The user-assigned identity the Function App runs as. It is user-assigned rather than system-assigned so
// that its role assignments can be made before the app exists, and so the deployment storage container can
// authenticate with it on the very first deployment.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id, for the app identity block and deployment storage authentication.')
output resourceId string = identity.id

@description('Client id, for AzureWebJobsStorage__clientId, the Application Insights authentication string and DefaultAzureCredential.')
output clientId string = identity.properties.clientId

@description('Principal (object) id, the subject of the role assignments.')
output principalId string = identity.properties.principalId

@description('Name of the identity.')
output name string = identity.name
