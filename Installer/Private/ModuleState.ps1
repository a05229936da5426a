#Requires -Version 5.1
<#
    ExchangeEncryptionAgent.Installer: install, upgrade, remove and inspect the transport agent on Exchange servers.

    install.ps1 is the front door; this module does the work. It is written for the Exchange Management Shell
    (Windows PowerShell 5.1) and tested with Pester under PowerShell 7 on Linux, so:
      * every effect outside this process (Exchange cmdlets, the transport service, files, ACLs, the event log,
        the registry, remoting) is one small named call that the tests can replace;
      * every step first looks at the current state and acts only when it differs (a second run changes nothing);
      * every change goes through ShouldProcess (-WhatIf, -Confirm);
      * the first failure stops everything with a message that says what to do.
#>
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# Facts shared with the agent. Changing one of these is a breaking change for installed servers.
$script:AgentName = 'ExchangeEncryptionAgent'
$script:FactoryTypeName = 'ExchangeEncryptionAgent.Exchange.EncryptionRoutingAgentFactory'
$script:AgentAssemblyFileName = 'ExchangeEncryptionAgent.dll'
$script:LoggingConfigFileName = 'NLog.config'
$script:EventSourceName = 'ExchangeEncryptionAgent'
$script:EventLogName = 'Application'
# The one call into the agent: a policy's errors, what it references and its forced-TLS settings.
$script:PolicyInventoryTypeName = 'ExchangeEncryptionAgent.Activation.PolicyInventory'
$script:PolicyFolderName = 'Policies'
# The agent's default TemporaryDirectory (AgentSettings.xml): Logs\spool.
$script:SpoolFolderName = 'spool'
$script:LogFolderName = 'Logs'
# The agent reads <InstallPath>\Policies\policy.xml; Policies\default.xml is only the shipped starting point.
$script:ActivePolicyFileName = 'policy.xml'
$script:DefaultPolicyFileName = 'default.xml'

# Facts about Exchange.
# Remote PowerShell to an Exchange server: http://<server FQDN>/PowerShell/, configuration Microsoft.Exchange.
$script:ExchangeConfigurationName = 'Microsoft.Exchange'
# The credential for a server's own Exchange PowerShell endpoint when the cmdlets are not loaded (set per run).
$script:EndpointCredential = $null
$script:TransportServiceName = 'MSExchangeTransport'
$script:TransportRuleAgentName = 'Transport Rule Agent'
$script:DefaultConnectorName = 'ExchangeEncryptionAgent Forced TLS'
# .NET Framework 4.8 (the lowest Release value of 4.8 on any Windows version).
$script:MinimumDotNetRelease = 528040
# A transport service whose agent factory fails stops itself shortly after reporting Running: watch it this long.
$script:ServiceSettleSeconds = 30
$script:ServicePollSeconds = 5
