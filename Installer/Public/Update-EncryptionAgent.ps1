function Update-EncryptionAgent {
    <#
    .SYNOPSIS
        Replaces the installed agent with the package's version, keeping the policy, the keys and NLog.config.
    .DESCRIPTION
        Validates the policy that will be active (the installed one, or -PolicyPath) with the new version's validator
        before touching anything; prepares everything that does not need the service stopped; backs the installation
        up to <InstallPath>.previous; stops MSExchangeTransport, replaces the files, starts it and checks the agent.
        If the service or the agent does not come back, the backup is restored and the service started again.
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

    $checked = Confirm-AgentChange -Action Upgrade -PackageRoot $PackageRoot -InstallPath $InstallPath -PolicyPath $PolicyPath -Priority $Priority -TransportService $TransportService -SkipForcedTlsConnector:$SkipForcedTlsConnector -AgentCmdlet 'Enable-TransportAgent', 'Set-TransportAgent'
    $setup = $checked.Setup
    $policy = $checked.Policy
    $binaryChanges = $checked.BinaryChanges
    $versionChanges = $checked.VersionChanges

    # Everything that works with the service running comes first.
    $changes = New-Object System.Collections.Generic.List[string]
    Add-Change $changes (Copy-PolicyReferenceFile -Setup $setup -Policy $policy)
    Add-Change $changes (New-AgentLogFolder -Setup $setup)
    Add-Change $changes (Install-AgentEventSource)
    Add-Change $changes (Grant-AgentAccess -Setup $setup -Policy $policy)
    Add-Change $changes (Protect-AgentDataFolder -Setup $setup)
    Add-Change $changes (Sync-ForcedTlsConnector -Setup $setup -Policy $policy -Name $ForcedTlsConnectorName -Skip:$SkipForcedTlsConnector)

    if ($versionChanges.Count -eq 0) {
        # Same version: nothing EdgeTransport has loaded changes, so no restart (a new policy is hot-reloaded).
        Add-Change $changes (Copy-AgentBinary -Setup $setup -Change $binaryChanges)
        Add-Change $changes (Copy-ShippedPolicyFile -Setup $setup)
        Add-Change $changes (Copy-ActivePolicy -Setup $setup -Policy $policy)
        $agentChanges = New-Object System.Collections.Generic.List[string]
        Add-Change $agentChanges (Enable-Agent -Setup $setup)
        Add-Change $agentChanges (Set-AgentPriority -Setup $setup -Priority $Priority)
        Add-Change $changes $agentChanges
        if ($agentChanges.Count -gt 0) {
            Add-Change $changes (Restart-TransportService -TimeoutSeconds $ServiceTimeoutSeconds)
        }
        Confirm-AgentRunning -Setup $setup
    }
    else {
        # Confirms the agent itself, inside the window that rolls back.
        Add-Change $changes (Invoke-BinaryReplacement -Setup $setup -Policy $policy -Change $binaryChanges -Priority $Priority -TimeoutSeconds $ServiceTimeoutSeconds)
    }

    $result = New-SetupResult -Setup $setup -Action 'Upgrade' -Changes $changes -PolicyPath $setup.ActivePolicyPath
    Write-NextStep -Result $result -Setup $setup -Policy $policy
    $result
}
