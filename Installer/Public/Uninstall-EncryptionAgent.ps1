function Uninstall-EncryptionAgent {
    <#
    .SYNOPSIS
        Removes the agent from this server: every step of Install in reverse. Keeps policies and logs unless -RemoveData.
    .DESCRIPTION
        Disable-TransportAgent and Uninstall-TransportAgent, then one restart so EdgeTransport.exe lets go of the
        DLLs; this server leaves the forced-TLS connector (the connector is removed with its last server); the
        transport service account loses the access Install granted; the event source goes; the agent files and the
        upgrade backup are deleted. Policies\ and Logs\ stay unless -RemoveData (private keys referenced by absolute
        path are never deleted). Running it again changes nothing.
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [string] $PackageRoot,
        [string] $InstallPath,
        [ValidateSet('Hub', 'Edge')]
        [string] $TransportService,
        [string] $ForcedTlsConnectorName = $script:DefaultConnectorName,
        [switch] $SkipForcedTlsConnector,
        [switch] $RemoveData,
        [int] $ServiceTimeoutSeconds = 300
    )

    Assert-SetupPrerequisite
    $setup = New-SetupContext -PackageRoot $PackageRoot -InstallPath $InstallPath -TransportService $TransportService -PackageOptional
    $references = @(Get-InstalledPolicyReference -Setup $setup)
    $connectorCmdlet = @()
    if (-not $SkipForcedTlsConnector -and $setup.TransportService -ne 'Edge') {
        $connector = Get-ForcedTlsConnector -Name $ForcedTlsConnectorName
        if ($null -ne $connector -and (Test-ConnectorHasServer -Connector $connector -ServerName $setup.ServerName)) {
            $connectorCmdlet = @('Set-SendConnector', 'Remove-SendConnector')
        }
    }
    Assert-ExchangePermission -Setup $setup -AgentCmdlet 'Disable-TransportAgent', 'Uninstall-TransportAgent' -ConnectorCmdlet $connectorCmdlet

    $changes = New-Object System.Collections.Generic.List[string]
    $agentChanges = New-Object System.Collections.Generic.List[string]
    Add-Change $agentChanges (Disable-Agent -Setup $setup)
    Add-Change $agentChanges (Unregister-Agent -Setup $setup)
    Add-Change $changes $agentChanges
    if ($agentChanges.Count -gt 0) {
        Add-Change $changes (Restart-TransportService -TimeoutSeconds $ServiceTimeoutSeconds)
    }
    Add-Change $changes (Remove-ServerFromForcedTlsConnector -Setup $setup -Name $ForcedTlsConnectorName -Skip:$SkipForcedTlsConnector)
    Add-Change $changes (Revoke-AgentAccess -Setup $setup -Reference $references -RemoveData:$RemoveData)
    Add-Change $changes (Uninstall-AgentEventSource)
    Add-Change $changes (Remove-AgentFile -Setup $setup)
    if ($RemoveData) {
        Add-Change $changes (Remove-AgentData -Setup $setup)
    }

    $result = New-SetupResult -Setup $setup -Action 'Uninstall' -Changes $changes -PolicyPath $null
    Write-UninstallNextStep -Result $result -Setup $setup -RemoveData:$RemoveData
    $result
}
