// What an operator is woken for: log alert rules (KQL over Application Insights) and the action group that mails them.
// Each alert's section in docs/runbook.md (its name is the anchor) says what it means, how to look and what to do.
// Atlas's metrics reach Application Insights as customMetrics: a counter's value is its sum over the export interval,
// a gauge's its last value, a histogram's count, sum, min and max (no buckets: deadline lag's p95 is taken over each
// interval's max, an upper bound). InfraTests check every metric named here is one AtlasMetrics emits.
param name string
param location string
param tags object
param insightsName string

@description('Where alerts are mailed.')
param alertEmail string

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: insightsName
}

resource operators 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${name}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'atlas-ops'
    enabled: true
    emailReceivers: [{ name: 'operators', emailAddress: alertEmail, useCommonAlertSchema: true }]
  }
}

// name: the rule's and the runbook section's; measure: the query's column compared with threshold (GreaterThan);
// dimensions: columns that split the alert (one alert per value).
var alerts = [
  {
    name: 'poisoned-messages'
    summary: 'Messages were given up on and moved to a poison queue'
    severity: 2
    frequency: 'PT5M'
    window: 'PT15M'
    query: 'customMetrics | where name == \'atlas.poisoned\' | extend function = tostring(customDimensions[\'function\']) | summarize poisoned = sum(valueSum) by function'
    measure: 'poisoned'
    threshold: 0
    dimensions: ['function']
  }
  {
    name: 'orchestrations-failed'
    summary: 'A Durable orchestration ended Failed'
    severity: 1
    frequency: 'PT5M'
    window: 'PT15M'
    query: 'customMetrics | where name == \'atlas.flows.failed\' | extend flow = tostring(customDimensions[\'flow\']) | summarize failed = max(valueMax) by flow'
    measure: 'failed'
    threshold: 0
    dimensions: ['flow']
  }
  {
    name: 'orchestrations-stuck'
    summary: 'Durable orchestrations are stuck (no step for Flows:StuckAfter, or a deadline that long overdue)'
    severity: 1
    frequency: 'PT5M'
    window: 'PT15M'
    query: 'customMetrics | where name == \'atlas.flows.stuck\' | extend flow = tostring(customDimensions[\'flow\']) | summarize stuck = max(valueMax) by flow'
    measure: 'stuck'
    threshold: 0
    dimensions: ['flow']
  }
  {
    name: 'stripe-events-failed'
    summary: 'Stripe events failed to apply'
    severity: 2
    frequency: 'PT5M'
    window: 'PT15M'
    query: 'customMetrics | where name == \'atlas.webhooks\' and tostring(customDimensions[\'outcome\']) == \'failed\' | extend type = tostring(customDimensions[\'type\']) | summarize failed = sum(valueSum) by type'
    measure: 'failed'
    threshold: 0
    dimensions: ['type']
  }
  {
    name: 'stripe-events-caught-up'
    summary: 'Stripe events reached Atlas through the catch-up timer, not their webhook'
    severity: 3
    frequency: 'PT15M'
    window: 'PT1H'
    query: 'customMetrics | where name == \'atlas.stripe.events_caught_up\' | summarize caught_up = sum(valueSum)'
    measure: 'caught_up'
    threshold: 0
    dimensions: []
  }
  {
    name: 'http-5xx'
    summary: 'More than 2% of HTTP requests answered 5xx (at least 50 requests)'
    severity: 1
    frequency: 'PT5M'
    window: 'PT15M'
    query: 'requests | summarize total = count(), failed = countif(toint(resultCode) >= 500) | where total >= 50 | extend failed_percent = 100.0 * failed / total'
    measure: 'failed_percent'
    threshold: 2
    dimensions: []
  }
  {
    name: 'deadline-lag'
    summary: 'Deadlines reach their lifecycle more than a minute late (p95 of each minute\'s latest)'
    severity: 2
    frequency: 'PT5M'
    window: 'PT30M'
    query: 'customMetrics | where name == \'atlas.deadline.lag\' | extend lifecycle = tostring(customDimensions[\'lifecycle\']) | summarize lag_p95 = percentile(valueMax, 95) by lifecycle'
    measure: 'lag_p95'
    threshold: 60
    dimensions: ['lifecycle']
  }
  {
    name: 'texts-undelivered'
    summary: 'More than 10% of texts ended undelivered or failed (at least 20 texts)'
    severity: 2
    frequency: 'PT15M'
    window: 'PT1H'
    query: 'customMetrics | where name == \'atlas.sms.delivery\' | extend status = tostring(customDimensions[\'status\']) | summarize total = sum(valueSum), lost = sumif(valueSum, status != \'delivered\') | where total >= 20 | extend undelivered_percent = 100.0 * lost / total'
    measure: 'undelivered_percent'
    threshold: 10
    dimensions: []
  }
  {
    name: 'sms-budget-reached'
    summary: 'Sign-in texts were held back: an hourly SMS budget is spent'
    severity: 2
    frequency: 'PT5M'
    window: 'PT15M'
    query: 'customMetrics | where name == \'atlas.signin.sms_blocked\' | extend reason = tostring(customDimensions[\'reason\']), calling_code = tostring(customDimensions[\'calling_code\']) | where reason in (\'budget\', \'total_budget\') | summarize blocked = sum(valueSum) by reason, calling_code'
    measure: 'blocked'
    threshold: 0
    dimensions: ['reason', 'calling_code']
  }
  {
    name: 'settlement-mismatches'
    summary: 'A settlement run\'s reconciliation found lines at odds with the ledger or Stripe'
    severity: 2
    frequency: 'PT1H'
    window: 'PT2H'
    query: 'customMetrics | where name == \'atlas.settlement.mismatches\' | extend currency = tostring(customDimensions[\'currency\']) | summarize mismatches = sum(valueSum) by currency'
    measure: 'mismatches'
    threshold: 0
    dimensions: ['currency']
  }
]

resource rules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for alert in alerts: {
    name: 'alert-${name}-${alert.name}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: 'Atlas: ${alert.summary}'
      description: '${alert.summary}. What to do: docs/runbook.md#${alert.name}'
      severity: alert.severity
      enabled: true
      evaluationFrequency: alert.frequency
      windowSize: alert.window
      scopes: [insights.id]
      autoMitigate: true
      criteria: {
        allOf: [
          {
            query: alert.query
            timeAggregation: 'Maximum'
            metricMeasureColumn: alert.measure
            dimensions: [for dimension in alert.dimensions: { name: dimension, operator: 'Include', values: ['*'] }]
            operator: 'GreaterThan'
            threshold: alert.threshold
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
          }
        ]
      }
      actions: { actionGroups: [operators.id] }
    }
  }
]
