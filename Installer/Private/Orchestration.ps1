# Which servers a run works on, and running one server here or through remoting.

function Resolve-TargetServer {
    [CmdletBinding()]
    param(
        [string[]] $Server,
        [switch] $AllTransportServers,
        [string] $TransportService
    )

    if ($AllTransportServers) {
        if ($TransportService -eq 'Edge') {
            throw 'Edge Transport servers are outside the organisation and cannot be reached through Get-TransportService. Run install.ps1 in the Exchange Management Shell of each Edge server.'
        }
        Import-ExchangeManagement
        # Get-TransportService lists the Mailbox servers' transport (Hub) services; Edge servers never run Hub agents.
        $names = @(Get-TransportService | Where-Object { -not (Get-PropertyOrNull $_ 'IsEdgeServer') } | ForEach-Object { [string](Get-PropertyOrNull $_ 'Name') } | Where-Object { $_ })
        if ($names.Count -eq 0) {
            throw 'Get-TransportService returned no transport server. Nothing was changed.'
        }
        return $names
    }
    if ($Server) {
        return $Server
    }
    return @(Get-LocalServerName)
}

function Get-ServerActionParameter {
    # The parameters one server's run needs: the orchestration ones (which servers, credentials) stay here.
    [CmdletBinding()]
    param([System.Collections.IDictionary] $BoundParameters)

    $parameters = @{}
    foreach ($key in $BoundParameters.Keys) {
        if (@('Server', 'AllTransportServers', 'Credential') -notcontains $key) {
            $parameters[$key] = $BoundParameters[$key]
        }
    }
    $parameters
}

function Invoke-ServerAction {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [string] $Action = 'Install',
        [string] $PackageRoot,
        [string] $InstallPath,
        [string] $PolicyPath,
        [Nullable[int]] $Priority,
        [string] $TransportService,
        [string] $ForcedTlsConnectorName = $script:DefaultConnectorName,
        [switch] $SkipForcedTlsConnector,
        [switch] $RemoveData,
        [int] $ServiceTimeoutSeconds = 300
    )

    $common = @{ PackageRoot = $PackageRoot; InstallPath = $InstallPath; ForcedTlsConnectorName = $ForcedTlsConnectorName }
    if ($TransportService) {
        $common['TransportService'] = $TransportService
    }
    $changing = @{ SkipForcedTlsConnector = $SkipForcedTlsConnector; ServiceTimeoutSeconds = $ServiceTimeoutSeconds }
    switch ($Action) {
        'Install' { Install-EncryptionAgent @common @changing -PolicyPath $PolicyPath -Priority $Priority }
        'Upgrade' { Update-EncryptionAgent @common @changing -PolicyPath $PolicyPath -Priority $Priority }
        'Uninstall' { Uninstall-EncryptionAgent @common @changing -RemoveData:$RemoveData }
        'Status' { Get-EncryptionAgentStatus @common }
    }
}

function Invoke-RemoteServerAction {
    # Same install.ps1, same parameters, run on the remote server itself: agents.config is per server.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)]
        [string] $ComputerName,
        [pscredential] $Credential,
        [Parameter(Mandatory)]
        [string] $PackageRoot,
        [Parameter(Mandatory)]
        [hashtable] $Parameters
    )

    $remoteParameters = ConvertTo-RemoteParameter -Parameters $Parameters
    if ($Credential) {
        # The remote run opens that server's own Exchange PowerShell endpoint with it when its session has no
        # Exchange cmdlets: from inside a remoting session, only an explicit credential can (Kerberos second hop).
        $remoteParameters['Credential'] = $Credential
    }
    $session = New-InstallerSession -ComputerName $ComputerName -Credential $Credential
    try {
        $staging = Get-RemoteStagingPath -Session $session -Version (Get-PackageVersion -Setup (New-PackageView -PackageRoot $PackageRoot))
        Copy-PackageToSession -Session $session -PackageRoot $PackageRoot -Destination $staging
        if ($remoteParameters.ContainsKey('PolicyPath') -and $remoteParameters['PolicyPath']) {
            # What travels with the policy is what the package's agent reads from it; the remote run validates it.
            $policy = Resolve-FullPath -Path $remoteParameters['PolicyPath']
            $inventory = Get-PolicyInventory -Path $policy -AgentAssemblyPath (New-PackageView -PackageRoot $PackageRoot).PackageAssemblyPath
            $relative = @(ConvertTo-PolicyReference -Inventory $inventory | Where-Object { $_.IsRelative } | ForEach-Object { $_.SourcePath })
            $remoteParameters['PolicyPath'] = Copy-PolicyToSession -Session $session -PolicyPath $policy -Reference $relative -Destination "$staging\SourcePolicy"
        }
        Invoke-RemoteInstaller -Session $session -ScriptPath "$staging\install.ps1" -Parameters $remoteParameters
    }
    finally {
        Remove-InstallerSession -Session $session
    }
}

function ConvertTo-RemoteParameter {
    # Switches travel as booleans; -WhatIf/-Confirm/-Verbose travel explicitly because preferences do not cross
    # the session; the package path is the staging copy on the remote side, filled in by install.ps1 there.
    [CmdletBinding()]
    param([hashtable] $Parameters)

    $remote = @{}
    foreach ($key in $Parameters.Keys) {
        if ($key -ne 'PackageRoot') {
            $value = $Parameters[$key]
            if ($value -is [System.Management.Automation.SwitchParameter]) {
                $value = $value.IsPresent
            }
            $remote[$key] = $value
        }
    }
    if ($WhatIfPreference) {
        $remote['WhatIf'] = $true
    }
    $remote
}

function New-ServerFailure {
    [CmdletBinding()]
    param(
        [string] $Server,
        [string] $Action,
        [System.Collections.Generic.List[string]] $Done,
        [string[]] $NotReached,
        [System.Management.Automation.ErrorRecord] $ErrorRecord
    )

    $message = "${Action} failed on ${Server}: $($ErrorRecord.Exception.Message)"
    if ($Done.Count -gt 0) {
        $message += " Already done: $($Done -join ', ')."
    }
    if (@($NotReached).Count -gt 0) {
        $message += " Not attempted: $($NotReached -join ', ')."
    }
    New-Object System.Management.Automation.RuntimeException -ArgumentList $message, $ErrorRecord.Exception
}
