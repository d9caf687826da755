// NetOpsBot on Azure: the host on Container Apps (user-assigned managed identity, 2+ replicas), PostgreSQL
// flexible server (private access only, Entra authentication: the host logs in with its managed identity, no
// database password exists), Key Vault (RBAC) for every secret, Log Analytics, and the Azure Bot with its
// Teams channel. After the first deployment, an Entra admin of the server runs infra/azure/postgres-app-role.sql
// once (it creates the host's role with only the rights it needs; docs/OPERATIONS.md "Azure").
// Deploy:  az deployment group create -g <rg> -f infra/azure/main.bicep -p main.parameters.example.json
// Every parameter is described below and in docs/OPERATIONS.md ("Azure").

targetScope = 'resourceGroup'

@description('Short name used in every resource name (letters and digits, 3-11 characters).')
@minLength(3)
@maxLength(11)
param prefix string = 'netopsbot'

@description('Azure region for every resource (the Azure Bot itself is global).')
param location string = resourceGroup().location

@description('Host image, e.g. myregistry.azurecr.io/netopsbot-host:1.4.0 (built from infra/docker/Dockerfile).')
param image string

@description('Login server of a private registry (e.g. myregistry.azurecr.io) the identity pulls from; grant the identity AcrPull there. Empty for a public image.')
param registryServer string = ''

@description('Host replicas (two or more prove nothing is kept in one process; approvals are guarded in PostgreSQL).')
@minValue(1)
@maxValue(10)
param minReplicas int = 2

@description('Most host replicas the scale rule may run.')
@maxValue(10)
param maxReplicas int = 3

@description('Resource id of a subnet (delegated to Microsoft.App/environments, /23 or larger for the Consumption plan) in a VNet with a route to the jump host: peered to the network that holds the bastion, or reached over VPN / ExpressRoute. The host reaches PostgreSQL only through this VNet.')
param infrastructureSubnetId string

@description('Resource id of an empty subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers, in the same VNet as infrastructureSubnetId: the server gets a private address there and no public endpoint.')
param postgresSubnetId string

@description('Bot identity type. SingleTenant: an app registration (botAppId + teams-client-secret in Key Vault). UserAssignedMSI: the managed identity below is the bot (no secret anywhere).')
@allowed([
  'SingleTenant'
  'UserAssignedMSI'
])
param botAppType string = 'UserAssignedMSI'

@description('SingleTenant only: the app registration\'s client id (Microsoft App ID).')
param botAppId string = ''

@description('SingleTenant only: the app registration\'s client secret; stored in Key Vault as teams-client-secret.')
@secure()
param botClientSecret string = ''

@description('Azure Bot pricing tier.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'S1'

@description('Object id of the Entra group (or user) that administers the PostgreSQL server: it runs postgres-app-role.sql once. The host is not an administrator.')
param postgresAdminObjectId string

@description('Display name of that group or user (the PostgreSQL role name of the administrator).')
param postgresAdminName string

@description('Kind of that principal.')
@allowed([
  'Group'
  'User'
  'ServicePrincipal'
])
param postgresAdminType string = 'Group'

@description('PostgreSQL compute tier (Burstable B1ms is enough for one team).')
param postgresSkuName string = 'Standard_B1ms'

@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

@description('Jump host name as in the inventory (jumpHosts[].name); its key secret is jumphost-<name>-key.')
param jumpHostName string = 'bastion-1'

@description('The bot\'s private SSH key for the jump host (OpenSSH format). Stored as Key Vault secret jumphost-<name>-key.')
@secure()
param jumpHostPrivateKey string

@description('Passphrase of that key; empty when the key has none (then no passphrase secret is created).')
@secure()
param jumpHostKeyPassphrase string = ''

@description('Device credentials by inventory reference: {"<credential ref>": {"user": "...", "password": "..."}}. Each becomes Key Vault secret device-<ref>.')
@secure()
param deviceCredentials object

@description('Slack signing secret (empty: Slack off).')
@secure()
param slackSigningSecret string = ''

@description('Slack bot token xoxb-... (empty: Slack off).')
@secure()
param slackBotToken string = ''

@description('Slack app-level token xapp-... for Socket Mode (empty: HTTP mode).')
@secure()
param slackAppToken string = ''

@description('Slack workspace id T... (or Enterprise Grid organization id E...) the bot serves; required with Slack.')
param slackTeamId string = ''

@description('Slack app id A... (Basic Information > App ID); required with Slack.')
param slackAppId string = ''

@description('inventory.json content (devices, jumpHosts, consoleServers; docs/OPERATIONS.md "Inventory"). Mounted at /config/inventory.json.')
param inventoryJson string

@description('known_hosts content with the pinned keys of the jump host and every device. Mounted at /config/known_hosts.')
param knownHosts string

@description('Remote management subnet devices must route back to (NetOps:Diagnosis:ManagementSubnet).')
param managementSubnet string = '10.200.0.0/24'

@description('Teams user ids (AAD object ids) allowed to approve, beside the Entra group below; each becomes a person of the approver directory (NetOps:People). Anyone else, group members included, needs a NetOps:People entry.')
param teamsApprovers array = []

@description('Entra group whose members may approve in Teams (object id); empty for none.')
param teamsApproverGroupId string = ''

@description('OTLP collector for traces and metrics (e.g. http://otel-collector:4318); empty: telemetry off.')
param otlpEndpoint string = ''

@description('Log Analytics retention in days.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Object id of a person or group that may manage secrets (Key Vault Secrets Officer); empty for none.')
param vaultAdminPrincipalId string = ''

var suffix = uniqueString(resourceGroup().id, prefix)
var keyVaultName = take('${prefix}-kv-${suffix}', 24)
var slackEnabled = !empty(slackSigningSecret) && !empty(slackBotToken)
var roleKeyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var roleKeyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
// No password: the host's Entra token is the password (NetOps:Storage:PostgresEntraAuth); VerifyFull checks the
// server's certificate chain and name, so the token only ever goes to this server.
var postgresConnectionString = 'Host=${postgres.properties.fullyQualifiedDomainName};Database=netopsbot;Username=${identity.name};SSL Mode=VerifyFull'
// The VNet of the delegated subnet: its private DNS zone resolves the server's name to the private address.
var postgresVnetId = split(postgresSubnetId, '/subnets/')[0]

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${prefix}-logs-${suffix}'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${prefix}-id-${suffix}'
  location: location
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

// The host reads secrets (get) and nothing else.
resource vaultReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roleKeyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleKeyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource vaultOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(vaultAdminPrincipalId)) {
  name: guid(vault.id, vaultAdminPrincipalId, roleKeyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleKeyVaultSecretsOfficer)
    principalId: vaultAdminPrincipalId
  }
}

resource jumpKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'jumphost-${jumpHostName}-key'
  properties: {
    value: jumpHostPrivateKey
    contentType: 'OpenSSH private key'
  }
}

resource jumpPassphraseSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(jumpHostKeyPassphrase)) {
  parent: vault
  name: 'jumphost-${jumpHostName}-passphrase'
  properties: {
    value: jumpHostKeyPassphrase
  }
}

resource deviceSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for credential in items(deviceCredentials): {
  parent: vault
  name: 'device-${credential.key}'
  properties: {
    value: string(credential.value)
    contentType: 'application/json'
  }
}]

resource slackSigningSecretKv 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (slackEnabled) {
  parent: vault
  name: 'slack-signing-secret'
  properties: {
    value: slackSigningSecret
  }
}

resource slackBotTokenKv 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (slackEnabled) {
  parent: vault
  name: 'slack-bot-token'
  properties: {
    value: slackBotToken
  }
}

resource slackAppTokenKv 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (slackEnabled && !empty(slackAppToken)) {
  parent: vault
  name: 'slack-app-token'
  properties: {
    value: slackAppToken
  }
}

resource teamsSecretKv 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (botAppType == 'SingleTenant') {
  parent: vault
  name: 'teams-client-secret'
  properties: {
    value: botClientSecret
  }
}

resource postgresDns 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: '${prefix}-${suffix}.private.postgres.database.azure.com'
  location: 'global'
}

resource postgresDnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: postgresDns
  name: '${prefix}-vnet-link'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: postgresVnetId
    }
  }
}

// Private access (VNet integration): no public endpoint and no firewall rules; only the VNet reaches it.
resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: '${prefix}-pg-${suffix}'
  location: location
  dependsOn: [
    postgresDnsLink
  ]
  sku: {
    name: postgresSkuName
    tier: postgresSkuTier
  }
  properties: {
    version: '16'
    network: {
      delegatedSubnetResourceId: postgresSubnetId
      privateDnsZoneArmResourceId: postgresDns.id
      publicNetworkAccess: 'Disabled'
    }
    storage: {
      storageSizeGB: 32
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: 14
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: 'Disabled'
      tenantId: tenant().tenantId
    }
  }
}

resource postgresAdmin 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = {
  parent: postgres
  name: postgresAdminObjectId
  properties: {
    principalName: postgresAdminName
    principalType: postgresAdminType
    tenantId: tenant().tenantId
  }
}

resource postgresDatabase 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: 'netopsbot'
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${prefix}-env-${suffix}'
  location: location
  properties: {
    // The bastion sits in a management network: the environment joins a VNet that reaches it (peering or
    // VPN/ExpressRoute); the jump host's `from=` must then allow this subnet's outbound addresses.
    vnetConfiguration: {
      infrastructureSubnetId: infrastructureSubnetId
      internal: false
    }
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
  }
}

var kvSecretRefs = concat(slackEnabled ? [
  {
    name: 'slack-signing-secret'
    keyVaultUrl: slackSigningSecretKv!.properties.secretUri
    identity: identity.id
  }
  {
    name: 'slack-bot-token'
    keyVaultUrl: slackBotTokenKv!.properties.secretUri
    identity: identity.id
  }
] : [], slackEnabled && !empty(slackAppToken) ? [
  {
    name: 'slack-app-token'
    keyVaultUrl: slackAppTokenKv!.properties.secretUri
    identity: identity.id
  }
] : [], botAppType == 'SingleTenant' ? [
  {
    name: 'teams-client-secret'
    keyVaultUrl: teamsSecretKv!.properties.secretUri
    identity: identity.id
  }
] : [])

var configSecrets = [
  {
    name: 'inventory-json'
    value: inventoryJson
  }
  {
    name: 'known-hosts'
    value: knownHosts
  }
]

var baseEnv = [
  {
    name: 'ASPNETCORE_HTTP_PORTS'
    value: '8080'
  }
  {
    name: 'AZURE_CLIENT_ID'
    value: identity.properties.clientId
  }
  {
    name: 'NetOps__Storage__Provider'
    value: 'Postgres'
  }
  {
    name: 'NetOps__Storage__ConnectionString'
    value: postgresConnectionString
  }
  {
    name: 'NetOps__Storage__PostgresEntraAuth'
    value: 'true'
  }
  {
    name: 'NetOps__InventoryPath'
    value: '/config/inventory.json'
  }
  {
    name: 'NetOps__KnownHostsPath'
    value: '/config/known_hosts'
  }
  {
    name: 'NetOps__Secrets__Provider'
    value: 'KeyVault'
  }
  {
    name: 'NetOps__Secrets__KeyVault__VaultUri'
    value: vault.properties.vaultUri
  }
  {
    name: 'NetOps__Secrets__KeyVault__ManagedIdentityClientId'
    value: identity.properties.clientId
  }
  {
    name: 'NetOps__Diagnosis__ManagementSubnet'
    value: managementSubnet
  }
  {
    name: 'NetOps__WebChat__Enabled'
    value: 'false'
  }
  {
    name: 'NetOps__Telemetry__OtlpEndpoint'
    value: otlpEndpoint
  }
  {
    name: 'Teams__AppType'
    value: botAppType
  }
  {
    name: 'Teams__AppId'
    value: botAppType == 'UserAssignedMSI' ? identity.properties.clientId : botAppId
  }
  {
    name: 'Teams__TenantId'
    value: tenant().tenantId
  }
  {
    name: 'Teams__ApproverGroupId'
    value: teamsApproverGroupId
  }
]

var approverListEnv = [for (approver, i) in teamsApprovers: {
  name: 'NetOps__Approvals__Approvers__teams__${i}'
  value: approver
}]

// An account approves only as a person of the approver directory: each listed Teams approver is one.
var approverPeopleEnv = [for (approver, i) in teamsApprovers: {
  name: 'NetOps__People__teamsapprover${i}__Teams__0'
  value: approver
}]

var approverEnv = concat(approverListEnv, approverPeopleEnv)

var teamsSecretEnv = botAppType == 'SingleTenant' ? [
  {
    name: 'Teams__ClientSecret'
    secretRef: 'teams-client-secret'
  }
] : []

var slackEnv = slackEnabled ? concat([
  {
    name: 'Slack__SigningSecret'
    secretRef: 'slack-signing-secret'
  }
  {
    name: 'Slack__TeamId'
    value: slackTeamId
  }
  {
    name: 'Slack__AppId'
    value: slackAppId
  }
  {
    name: 'Slack__BotToken'
    secretRef: 'slack-bot-token'
  }
], !empty(slackAppToken) ? [
  {
    name: 'Slack__AppToken'
    secretRef: 'slack-app-token'
  }
  {
    name: 'Slack__Mode'
    value: 'SocketMode'
  }
] : []) : []

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${prefix}-host'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  dependsOn: [
    vaultReader
    postgresDatabase
    postgresAdmin
  ]
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: 8080
        transport: 'http'
        allowInsecure: false
      }
      registries: empty(registryServer) ? [] : [
        {
          server: registryServer
          identity: identity.id
        }
      ]
      secrets: concat(kvSecretRefs, configSecrets)
    }
    template: {
      containers: [
        {
          name: 'host'
          image: image
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: concat(baseEnv, approverEnv, teamsSecretEnv, slackEnv)
          volumeMounts: [
            {
              volumeName: 'config'
              mountPath: '/config'
            }
          ]
          probes: [
            {
              type: 'Liveness'
              httpGet: {
                path: '/healthz'
                port: 8080
              }
              periodSeconds: 30
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/readyz'
                port: 8080
              }
              periodSeconds: 10
              failureThreshold: 3
            }
          ]
        }
      ]
      volumes: [
        {
          name: 'config'
          storageType: 'Secret'
          secrets: [
            {
              secretRef: 'inventory-json'
              path: 'inventory.json'
            }
            {
              secretRef: 'known-hosts'
              path: 'known_hosts'
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: max(minReplicas, maxReplicas)
      }
    }
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${prefix}-bot-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: 'NetOpsBot'
    endpoint: 'https://${app.properties.configuration.ingress.fqdn}/api/messages'
    msaAppType: botAppType
    msaAppId: botAppType == 'UserAssignedMSI' ? identity.properties.clientId : botAppId
    msaAppTenantId: tenant().tenantId
    msaAppMSIResourceId: botAppType == 'UserAssignedMSI' ? identity.id : null
    disableLocalAuth: true
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      enableCalling: false
    }
  }
}

@description('The host\'s public URL; the bot\'s messaging endpoint is <url>/api/messages.')
output hostUrl string = 'https://${app.properties.configuration.ingress.fqdn}'

@description('Key Vault holding every secret. Device credentials and jump-host keys are read by the host and picked up within NetOps:Secrets:KeyVault:RefreshSeconds; Slack and Teams secrets are Container Apps secret references, read when a revision starts: restart the revision after rotating them.')
output keyVaultUri string = vault.properties.vaultUri

@description('Client id of the managed identity (the bot\'s Microsoft App ID when botAppType is UserAssignedMSI).')
output identityClientId string = identity.properties.clientId

output botName string = bot.name

@description('Server to run postgres-app-role.sql on (as the Entra administrator, from inside the VNet), and the role it must create for the host.')
output postgresServer string = postgres.properties.fullyQualifiedDomainName

output postgresAppRole string = identity.name
