// Azure SQL with Microsoft Entra authentication only (no SQL logins, no passwords anywhere) and a
// serverless database that pauses itself when idle. The deployer is the Entra admin, so the
// post-provision hook can create the Function App's database user and run the migrations.
param location string
param tags object
param serverName string
param databaseName string
param adminObjectId string
param adminPrincipalType string
param adminLogin string
param useFreeLimit bool

@description('Minutes without connections before the serverless database pauses (60 is the least).')
param autoPauseDelayMinutes int = 60

@description('Largest size the database may grow to, in GiB.')
param maxSizeGiB int = 2

resource server 'Microsoft.Sql/servers@2025-01-01' = {
  // checkov:skip=CKV_AZURE_113:Flex Consumption without a virtual network has no private path to SQL; the server accepts Entra tokens only (azureADOnlyAuthentication) through its firewall.
  // checkov:skip=CKV_AZURE_25:Threat detection is Microsoft Defender for SQL, billed per server per month; turn it on for the whole subscription (Defender for Cloud) rather than per template.
  // checkov:skip=CKV_AZURE_23:Server auditing needs a destination (a storage account or a diagnostic setting on master) that this template does not create yet; see the README's Deploy to Azure section.
  // checkov:skip=CKV_AZURE_24:As CKV_AZURE_23: audit retention applies once an audit destination exists.
  name: serverName
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    version: '12.0'
    minimalTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    administrators: {
      administratorType: 'ActiveDirectory'
      azureADOnlyAuthentication: true
      login: adminLogin
      sid: adminObjectId
      principalType: adminPrincipalType == 'ServicePrincipal' ? 'Application' : adminPrincipalType
      tenantId: tenant().tenantId
    }
  }
}

// 0.0.0.0 to 0.0.0.0 is Azure's "allow Azure services" rule: Flex Consumption without a virtual
// network has no fixed outbound addresses. The post-provision hook adds the deployer's address for
// its own run and removes it again.
resource allowAzureServices 'Microsoft.Sql/servers/firewallRules@2025-01-01' = {
  parent: server
  name: 'AllowAllWindowsAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource database 'Microsoft.Sql/servers/databases@2025-01-01' = {
  // checkov:skip=CKV_AZURE_229:Zone redundancy is not offered for serverless General Purpose with auto-pause, which is what keeps the idle cost near zero.
  // checkov:skip=CKV_AZURE_25:Defender for SQL (threat detection) is a subscription-wide paid plan; see the server's note.
  // checkov:skip=CKV_AZURE_26:Alert recipients belong to Defender for SQL's security alert policy; see CKV_AZURE_25.
  // checkov:skip=CKV_AZURE_27:Mailing admins is part of the same Defender for SQL alert policy as CKV_AZURE_26.
  // checkov:skip=CKV_AZURE_23:Auditing is a server setting; see the server's note.
  parent: server
  name: databaseName
  location: location
  tags: tags
  sku: {
    name: 'GP_S_Gen5'
    tier: 'GeneralPurpose'
    family: 'Gen5'
    capacity: 1
  }
  properties: {
    autoPauseDelay: autoPauseDelayMinutes
    minCapacity: json('0.5')
    maxSizeBytes: maxSizeGiB * 1024 * 1024 * 1024
    zoneRedundant: false
    requestedBackupStorageRedundancy: 'Local'
    useFreeLimit: useFreeLimit
    freeLimitExhaustionBehavior: useFreeLimit ? 'AutoPause' : null
  }
}

output serverName string = server.name
output serverFqdn string = server.properties.fullyQualifiedDomainName
output databaseName string = database.name
