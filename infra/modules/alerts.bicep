// Log alert rules on the app's Application Insights telemetry: the failures an operator must hear about, because
// each one silently turns cross-sell off (agents fail safe to service-only) or stops a nightly job. Each rule
// queries the component's classic tables (requests: one row per function invocation, named after the function;
// customMetrics: the app's OpenTelemetry counters, named as in CallBalancerTelemetry).

@description('Resource id of the Application Insights component the rules query.')
param applicationInsightsId string

@description('Azure region of the rules.')
param location string

@description('Tags applied to the rules and the action group.')
param tags object

@description('Token that makes the rule names unique.')
param nameToken string

@description('E-mail address the alerts go to. Empty: the rules are created without an action group (they still fire in the portal).')
param alertEmail string = ''

var actionGroupName = 'ag-${nameToken}'

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'callbalancer'
    enabled: true
    emailReceivers: [
      {
        name: 'operations'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var alerts = [
  {
    name: 'rebalance-stalled'
    displayName: 'CallBalancer: no successful rebalance for 5 minutes'
    description: 'Agents answer service-only (fail-safe) once the last rebalance is 2 minutes old, so cross-sell is off until Rebalance succeeds again. Check GET /api/status and the Rebalance invocations.'
    severity: 1
    frequency: 'PT5M'
    window: 'PT5M'
    query: 'requests | where name == "Rebalance" and success == true'
    operator: 'LessThan'
    threshold: 1
  }
  {
    name: 'rebalance-queue-failures'
    displayName: 'CallBalancer: queues whose rebalance failed'
    description: 'A queue\'s unit of work failed (callbalancer.rebalance.failures); its agents keep their last mode; once every rebalance of the queue has failed for 2 minutes, their mode answers are service-only (fail safe) until one succeeds.'
    severity: 2
    frequency: 'PT15M'
    window: 'PT15M'
    query: 'customMetrics | where name == "callbalancer.rebalance.failures" and valueSum > 0'
    operator: 'GreaterThan'
    threshold: 0
  }
  {
    name: 'storage-unavailable'
    displayName: 'CallBalancer: requests refused because storage is unavailable'
    description: 'An HTTP function could not reach Table storage (callbalancer.http.requests with outcome unavailable): webhooks, outcomes and supervisor calls were answered 503, agent desktops got service-only and no offers, or the status probe answered degraded. Platforms and desktops retry; agents fail safe to service-only meanwhile.'
    severity: 1
    frequency: 'PT5M'
    window: 'PT5M'
    query: 'customMetrics | where name == "callbalancer.http.requests" and tostring(customDimensions["outcome"]) == "unavailable" and valueSum > 0'
    operator: 'GreaterThan'
    threshold: 0
  }
  {
    name: 'server-errors'
    displayName: 'CallBalancer: more than 10 responses 5xx in 5 minutes'
    description: 'HTTP functions answered 500 or above more than 10 times in 5 minutes.'
    severity: 2
    frequency: 'PT5M'
    window: 'PT5M'
    query: 'requests | where toint(resultCode) >= 500'
    operator: 'GreaterThan'
    threshold: 10
  }
  {
    name: 'forecast-stalled'
    displayName: 'CallBalancer: no successful forecast refresh for an hour'
    description: 'ForecastRefresh runs a minute after every 15-minute interval; without it the policy falls back to the real-time rule (a reserve of idle agents) and cross-sells less.'
    severity: 3
    frequency: 'PT1H'
    window: 'PT1H'
    query: 'requests | where name == "ForecastRefresh" and success == true'
    operator: 'LessThan'
    threshold: 1
  }
  {
    name: 'nightly-job-failed'
    displayName: 'CallBalancer: a nightly job failed'
    description: 'Retention or the KPI roll-up failed. Both are idempotent and the next night continues; a failure that repeats means data is not being removed on time, or long queue KPI reports read every answer.'
    severity: 3
    frequency: 'PT6H'
    window: 'PT6H'
    query: 'requests | where name in ("Retention", "KpiRollup") and success == false'
    operator: 'GreaterThan'
    threshold: 0
  }
]

resource rules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [for alert in alerts: {
  name: 'alert-${nameToken}-${alert.name}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: alert.displayName
    description: alert.description
    severity: alert.severity
    enabled: true
    evaluationFrequency: alert.frequency
    windowSize: alert.window
    scopes: [
      applicationInsightsId
    ]
    criteria: {
      allOf: [
        {
          query: alert.query
          timeAggregation: 'Count'
          operator: alert.operator
          threshold: alert.threshold
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: empty(alertEmail) ? [] : [resourceId('Microsoft.Insights/actionGroups', actionGroupName)]
    }
  }
  dependsOn: [
    actionGroup
  ]
}]

@description('Names of the alert rules.')
output ruleNames array = [for (alert, i) in alerts: rules[i].name]
