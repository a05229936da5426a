function Install-EncryptionAgent {
    <#
    .SYNOPSIS
        Installs the agent on this server, or completes an interrupted installation. Running it again changes nothing.
    .DESCRIPTION
        Order (mail keeps flowing until the last restart): prerequisites; policy validation with the package's own
        agent assembly; files copied and unblocked; event source; access for the transport service account; the
        active policy; the forced-TLS send connector; Install-TransportAgent, Enable-TransportAgent,
        Set-TransportAgent -Priority; one restart of MSExchangeTransport when something it loads changed; a check
        with Get-TransportAgent; next steps.
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)]
        [string] $PackageRoot,
        [string] $InstallPath,
        [string] $PolicyPath,
        [Nullable[int]] $Priority,
        [ValidateSet('Hub', 'Edge')]
        [string] $TransportService,
        [string] $ForcedTlsConnectorName = $script:DefaultConnectorName,
        [switch] $SkipForcedTlsConnector,
        [int] $ServiceTimeoutSeconds = 300
    )

    $checked = Confirm-AgentChange -Action Install -PackageRoot $PackageRoot -InstallPath $InstallPath -PolicyPath $PolicyPath -Priority $Priority -TransportService $TransportService -SkipForcedTlsConnector:$SkipForcedTlsConnector -AgentCmdlet 'Install-TransportAgent', 'Enable-TransportAgent', 'Set-TransportAgent'
    $setup = $checked.Setup
    $policy = $checked.Policy
    $registration = $checked.Registration
    $binaryChanges = $checked.BinaryChanges
    $versionChanges = $checked.VersionChanges
    if ($null -ne $registration -and $versionChanges.Count -gt 0) {
        throw "Another version of $script:AgentName is installed in $($setup.InstallPath). Nothing was changed. Run install.ps1 -Action Upgrade to replace it."
    }

    $changes = New-Object System.Collections.Generic.List[string]
    Add-Change $changes (Copy-AgentBinary -Setup $setup -Change $binaryChanges)
    Add-Change $changes (Copy-ShippedPolicyFile -Setup $setup)
    Add-Change $changes (Copy-PolicyReferenceFile -Setup $setup -Policy $policy)
    Add-Change $changes (New-AgentLogFolder -Setup $setup)
    Add-Change $changes (Unblock-InstalledFile -Setup $setup)
    Add-Change $changes (Install-AgentEventSource)
    Add-Change $changes (Grant-AgentAccess -Setup $setup -Policy $policy)
    Add-Change $changes (Protect-AgentDataFolder -Setup $setup)
    Add-Change $changes (Copy-ActivePolicy -Setup $setup -Policy $policy)
    Add-Change $changes (Sync-ForcedTlsConnector -Setup $setup -Policy $policy -Name $ForcedTlsConnectorName -Skip:$SkipForcedTlsConnector)
    $agentChanges = New-Object System.Collections.Generic.List[string]
    Add-Change $agentChanges (Register-Agent -Setup $setup -Registration $registration)
    Add-Change $agentChanges (Enable-Agent -Setup $setup)
    Add-Change $agentChanges (Set-AgentPriority -Setup $setup -Priority $Priority)
    Add-Change $changes $agentChanges
    if ($versionChanges.Count -gt 0 -or $agentChanges.Count -gt 0) {
        Add-Change $changes (Restart-TransportService -TimeoutSeconds $ServiceTimeoutSeconds)
    }

    Confirm-AgentRunning -Setup $setup
    $result = New-SetupResult -Setup $setup -Action 'Install' -Changes $changes -PolicyPath $setup.ActivePolicyPath
    Write-NextStep -Result $result -Setup $setup -Policy $policy
    $result
}
