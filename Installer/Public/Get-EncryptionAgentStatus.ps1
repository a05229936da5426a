function Get-EncryptionAgentStatus {
    <#
    .SYNOPSIS
        Reports, as one object, what is installed on this server. Changes nothing.
    #>
    [CmdletBinding()]
    param(
        [string] $PackageRoot,
        [string] $InstallPath,
        [ValidateSet('Hub', 'Edge')]
        [string] $TransportService,
        [string] $ForcedTlsConnectorName = $script:DefaultConnectorName
    )

    Import-ExchangeManagement
    Assert-ShellOnThisServer
    $setup = New-SetupContext -PackageRoot $PackageRoot -InstallPath $InstallPath -TransportService $TransportService -PackageOptional
    $registration = Get-AgentRegistration -Setup $setup
    $policyErrors = Get-InstalledPolicyError -Setup $setup
    $connector = $null
    if ($setup.TransportService -eq 'Hub') {
        $connector = Get-ForcedTlsConnector -Name $ForcedTlsConnectorName
    }

    [pscustomobject]@{
        Server                = $setup.ServerName
        TransportService      = $setup.TransportService
        Installed             = $null -ne $registration
        Enabled               = ($null -ne $registration) -and [bool](Get-PropertyOrNull $registration 'Enabled')
        Priority              = Get-PropertyOrNull $registration 'Priority'
        AssemblyPath          = Get-PropertyOrNull $registration 'AssemblyPath'
        InstalledVersion      = Get-AgentVersion -AssemblyPath $setup.AssemblyPath
        PackageVersion        = Get-PackageVersion -Setup $setup
        MatchesPackage        = Test-InstalledMatchesPackage -Setup $setup
        TransportServiceState = Get-TransportServiceState
        EventSourceRegistered = $script:EventLogName -eq (Get-AgentEventSourceLog -Name $script:EventSourceName)
        InstallPath           = $setup.InstallPath
        PolicyPath            = $setup.ActivePolicyPath
        PolicyValid           = ($null -ne $policyErrors) -and (@($policyErrors).Count -eq 0)
        PolicyErrors          = $policyErrors
        ForcedTlsConnector    = Get-PropertyOrNull $connector 'Name'
        ConnectorHasServer    = ($null -ne $connector) -and (Test-ConnectorHasServer -Connector $connector -ServerName $setup.ServerName)
    }
}
