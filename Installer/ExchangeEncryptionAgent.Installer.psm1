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
$script:PolicyNamespace = 'urn:exchange-encryption-agent:policy:v1'
$script:PolicyValidatorTypeName = 'ExchangeEncryptionAgent.Policy.PolicyFileValidator'
$script:PolicyFolderName = 'Policies'
# The agent's default TemporaryDirectory (AgentSettings.xml): Logs\spool.
$script:SpoolFolderName = 'spool'
$script:LogFolderName = 'Logs'
# The agent reads <InstallPath>\Policies\policy.xml; Policies\default.xml is only the shipped starting point.
$script:ActivePolicyFileName = 'policy.xml'
$script:DefaultPolicyFileName = 'default.xml'
$script:PolicyReferenceAttributes = @('KeyFile', 'PfxFile', 'PasswordFile')

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

#region Public functions

function Invoke-EncryptionAgentSetup {
    <#
    .SYNOPSIS
        Runs Install, Upgrade, Uninstall or Status on this server, the named servers or every transport server.
    .DESCRIPTION
        The engine behind install.ps1; see Get-Help install.ps1 -Full for every parameter. Servers are done one at a
        time, in the order given, and the first failure stops the run (servers not yet reached are left untouched).
        A remote server gets the package copied to its temporary folder and runs the same install.ps1 there, because
        Install-TransportAgent only changes the server that runs it.
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'ThisServer')]
    param(
        [Parameter(Position = 0)]
        [ValidateSet('Install', 'Upgrade', 'Uninstall', 'Status')]
        [string] $Action = 'Install',
        [Parameter(Mandatory)]
        [string] $PackageRoot,
        [string] $InstallPath,
        [string] $PolicyPath,
        [ValidateRange(0, 2147483647)]
        [Nullable[int]] $Priority,
        [ValidateSet('Hub', 'Edge')]
        [string] $TransportService,
        [Parameter(ParameterSetName = 'Servers', Mandatory)]
        [string[]] $Server,
        [Parameter(ParameterSetName = 'AllTransportServers', Mandatory)]
        [switch] $AllTransportServers,
        [ValidateNotNullOrEmpty()]
        [string] $ForcedTlsConnectorName = $script:DefaultConnectorName,
        [switch] $SkipForcedTlsConnector,
        [switch] $RemoveData,
        [pscredential] $Credential,
        [ValidateRange(30, 3600)]
        [int] $ServiceTimeoutSeconds = 300
    )

    $script:EndpointCredential = $Credential
    $targets = @(Resolve-TargetServer -Server $Server -AllTransportServers:$AllTransportServers -TransportService $TransportService)
    $serverParameters = Get-ServerActionParameter -BoundParameters $PSBoundParameters
    $done = New-Object System.Collections.Generic.List[string]
    foreach ($target in $targets) {
        try {
            if (Test-IsLocalServer -Name $target) {
                Invoke-ServerAction @serverParameters
            }
            else {
                Invoke-RemoteServerAction -ComputerName $target -Credential $Credential -PackageRoot $PackageRoot -Parameters $serverParameters
            }
        }
        catch {
            Write-Verbose "Where it failed: $($_.ScriptStackTrace)"
            $notReached = @($targets | Where-Object { $_ -ne $target -and -not $done.Contains($_) })
            throw (New-ServerFailure -Server $target -Action $Action -Done $done -NotReached $notReached -ErrorRecord $_)
        }
        $done.Add($target)
    }
}

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

    Assert-SetupPrerequisite
    $setup = New-SetupContext -PackageRoot $PackageRoot -InstallPath $InstallPath -TransportService $TransportService
    $policy = Resolve-PolicyToActivate -Setup $setup -PolicyPath $PolicyPath
    $registration = Get-AgentRegistration -Setup $setup
    if ($null -ne $registration) {
        Assert-RegistrationIsOurs -Setup $setup -Registration $registration
    }
    Assert-PriorityInRange -Setup $setup -Priority $Priority -Registration $registration
    Assert-ExchangePermission -Setup $setup -AgentCmdlet 'Install-TransportAgent', 'Enable-TransportAgent', 'Set-TransportAgent' -ConnectorCmdlet (Get-ConnectorCmdlet -Setup $setup -Policy $policy -Skip:$SkipForcedTlsConnector)
    $binaryChanges = @(Get-AgentBinaryChange -Setup $setup)
    $versionChanges = @($binaryChanges | Where-Object { $_.NeedsRestart })
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

    Assert-SetupPrerequisite
    $setup = New-SetupContext -PackageRoot $PackageRoot -InstallPath $InstallPath -TransportService $TransportService
    $registration = Get-AgentRegistration -Setup $setup
    if ($null -eq $registration) {
        throw "$script:AgentName is not installed on this server ($($setup.TransportService) transport service). Nothing was changed. Run install.ps1 -Action Install."
    }
    Assert-RegistrationIsOurs -Setup $setup -Registration $registration
    # Checked here, not when Set-TransportAgent runs: on a version change that is inside the window where the
    # transport service is stopped, and a refusal there would cost a rollback.
    Assert-PriorityInRange -Setup $setup -Priority $Priority -Registration $registration
    $policy = Resolve-PolicyToActivate -Setup $setup -PolicyPath $PolicyPath
    Assert-ExchangePermission -Setup $setup -AgentCmdlet 'Enable-TransportAgent', 'Set-TransportAgent' -ConnectorCmdlet (Get-ConnectorCmdlet -Setup $setup -Policy $policy -Skip:$SkipForcedTlsConnector)
    $binaryChanges = @(Get-AgentBinaryChange -Setup $setup)
    $versionChanges = @($binaryChanges | Where-Object { $_.NeedsRestart })

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

function Test-EncryptionPolicy {
    <#
    .SYNOPSIS
        Validates a policy file with the agent's own .NET Framework 4.8 assembly, exactly as the agent will load it.
    .DESCRIPTION
        Loads ExchangeEncryptionAgent.dll (from the release package by default) and calls
        [ExchangeEncryptionAgent.Policy.PolicyFileValidator]::Validate(path). Needs no .NET 10 runtime: this is what
        Exchange servers have. Returns an object with IsValid and Errors ("file:line:col: rule 'name': message").
    .PARAMETER Path
        The policy file to validate.
    .PARAMETER AgentAssemblyPath
        The ExchangeEncryptionAgent.dll whose validator to use. Use the version you are about to install.
    .EXAMPLE
        Test-EncryptionPolicy -Path .\Policies\default.xml -AgentAssemblyPath .\agent\ExchangeEncryptionAgent.dll
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [string] $Path,
        [Parameter(Mandatory)]
        [string] $AgentAssemblyPath
    )

    $fullPath = Resolve-FullPath -Path $Path
    if (-not (Test-Path -LiteralPath $fullPath -PathType Leaf)) {
        return New-PolicyTestResult -Path $fullPath -Errors @("${fullPath}: the policy file does not exist.")
    }
    $assembly = Import-AgentAssembly -Path (Resolve-FullPath -Path $AgentAssemblyPath)
    $errors = @(Invoke-PolicyFileValidator -Assembly $assembly -Path $fullPath)
    New-PolicyTestResult -Path $fullPath -Errors $errors
}

#endregion

#region Orchestration: which servers, here or remote

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
            $remoteParameters['PolicyPath'] = Copy-PolicyToSession -Session $session -PolicyPath $remoteParameters['PolicyPath'] -Destination "$staging\SourcePolicy"
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

#endregion

#region Setup context and policy

function New-SetupContext {
    # Every path the steps use, resolved once.
    [CmdletBinding()]
    param(
        [string] $PackageRoot,
        [string] $InstallPath,
        [string] $TransportService,
        [switch] $PackageOptional
    )

    $package = New-PackageView -PackageRoot $PackageRoot -Optional:$PackageOptional
    $root = Resolve-InstallPath -InstallPath $InstallPath
    $policies = Join-Path $root $script:PolicyFolderName
    $serverName = Get-LocalServerName
    [pscustomobject]@{
        ServerName          = $serverName
        TransportService    = Resolve-TransportService -Requested $TransportService -ServerName $serverName
        PackageRoot         = $package.PackageRoot
        PackageAgentFolder  = $package.PackageAgentFolder
        PackagePolicyFolder = $package.PackagePolicyFolder
        PackageAssemblyPath = $package.PackageAssemblyPath
        InstallPath         = $root
        AssemblyPath        = Join-Path $root $script:AgentAssemblyFileName
        PolicyFolder        = $policies
        ActivePolicyPath    = Join-Path $policies $script:ActivePolicyFileName
        LogFolder           = Join-Path $root $script:LogFolderName
        BackupPath          = "$root.previous"
        ServiceAccount      = Get-TransportServiceAccount
    }
}

function Resolve-TransportService {
    # The transport service a routing agent runs in on this server, from the server's role as Exchange records it
    # (Get-ExchangeServer: ServerRole, IsEdgeServer): Hub for the Transport service on a Mailbox server, Edge on an
    # Edge Transport server. The *-TransportAgent cmdlets take exactly these; -TransportService, when given, must agree.
    [CmdletBinding()]
    param(
        [string] $Requested,
        [Parameter(Mandatory)][string] $ServerName
    )

    try {
        $server = Get-ExchangeServer -Identity $ServerName
    }
    catch {
        throw "Could not read the role of $ServerName with Get-ExchangeServer ($($_.Exception.Message)). Nothing was changed."
    }
    # Neither property is documented on the cmdlet's output: read both defensively, the role text as the fallback.
    $role = [string](Get-PropertyOrNull $server 'ServerRole')
    $isEdge = Get-PropertyOrNull $server 'IsEdgeServer'
    if ($null -eq $isEdge) {
        $isEdge = $role -match 'Edge'
    }
    $detected = $null
    if ([bool]$isEdge) {
        $detected = 'Edge'
    }
    elseif ($role -match 'Mailbox|HubTransport' -or [bool](Get-PropertyOrNull $server 'IsMailboxServer') -or [bool](Get-PropertyOrNull $server 'IsHubTransportServer')) {
        $detected = 'Hub'
    }
    if ($null -eq $detected) {
        throw "$ServerName is not a Mailbox or Edge Transport server (Get-ExchangeServer reports the role '$role'). The agent runs in the Transport service of Mailbox servers and on Edge Transport servers. Nothing was changed."
    }
    if ($Requested -and $Requested -ne $detected) {
        $kind = @{ Hub = 'a Mailbox server (Transport service: Hub)'; Edge = 'an Edge Transport server (Edge)' }[$detected]
        throw "$ServerName is $kind, so -TransportService $Requested is not valid there. Nothing was changed. Leave -TransportService out (the role is detected) or pass -TransportService $detected."
    }
    $detected
}

function New-PackageView {
    [CmdletBinding()]
    param(
        [string] $PackageRoot,
        [switch] $Optional
    )

    $view = [pscustomobject]@{ PackageRoot = $null; PackageAgentFolder = $null; PackagePolicyFolder = $null; PackageAssemblyPath = $null }
    if ($PackageRoot) {
        $root = Resolve-FullPath -Path $PackageRoot
        $view.PackageRoot = $root
        $view.PackageAgentFolder = Join-Path $root 'agent'
        $view.PackagePolicyFolder = Join-Path $root $script:PolicyFolderName
        $view.PackageAssemblyPath = Join-Path $view.PackageAgentFolder $script:AgentAssemblyFileName
    }
    $complete = $view.PackageAssemblyPath -and (Test-Path -LiteralPath $view.PackageAssemblyPath -PathType Leaf)
    if (-not $complete -and -not $Optional) {
        throw "No agent found at '$($view.PackageAssemblyPath)'. Run install.ps1 from an extracted release package (ExchangeEncryptionAgent-<version>.zip), which has agent\$script:AgentAssemblyFileName beside install.ps1. In a source tree, build one with Installer/New-ReleasePackage.ps1."
    }
    $view
}

function Resolve-InstallPath {
    [CmdletBinding()]
    param([string] $InstallPath)

    if (-not $InstallPath) {
        if (-not $env:ExchangeInstallPath) {
            throw 'The ExchangeInstallPath environment variable is not set: this does not look like an Exchange server. Run install.ps1 on an Exchange Mailbox or Edge server, or pass -InstallPath.'
        }
        $InstallPath = Join-Path (Join-Path (Join-Path $env:ExchangeInstallPath 'TransportRoles') 'agents') $script:AgentName
    }
    if ($InstallPath.StartsWith('\\')) {
        throw "InstallPath '$InstallPath' is a network path. Install-TransportAgent needs a local absolute path."
    }
    Resolve-FullPath -Path $InstallPath
}

function Resolve-FullPath {
    # Absolute file-system path for relative paths and PowerShell drives alike, whether or not it exists yet.
    [CmdletBinding()]
    param([Parameter(Mandatory)][string] $Path)

    $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
}

function Resolve-PolicyToActivate {
    # Which policy will be active after this run, validated with the package's validator before anything changes.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Setup,
        [string] $PolicyPath
    )

    $source = Get-PolicySource -Setup $Setup -PolicyPath $PolicyPath
    $validation = Test-EncryptionPolicy -Path $source -AgentAssemblyPath $Setup.PackageAssemblyPath
    if (-not $validation.IsValid) {
        throw "The policy '$source' is invalid. Nothing was changed. Fix these errors and run install.ps1 again:$([Environment]::NewLine)$($validation.Errors -join [Environment]::NewLine)"
    }
    $document = Read-PolicyDocument -Path $source
    $references = @(Get-PolicyReference -Document $document -PolicyPath $source)
    $missing = @($references | Where-Object { -not (Test-Path -LiteralPath $_.SourcePath -PathType Leaf) })
    if ($missing.Count -gt 0) {
        $lines = $missing | ForEach-Object { '{0}="{1}" -> {2}' -f $_.Attribute, $_.Value, $_.SourcePath }
        throw "The policy '$source' refers to files that do not exist. Nothing was changed:$([Environment]::NewLine)$($lines -join [Environment]::NewLine)"
    }
    [pscustomobject]@{
        SourcePath = $source
        References = $references
        ForcedTls  = Get-ForcedTlsSetting -Document $document
    }
}

function Get-PolicySource {
    # -PolicyPath wins; otherwise the policy already active on this server is kept; a first install starts from
    # the package's default.xml.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Setup,
        [string] $PolicyPath
    )

    if ($PolicyPath) {
        $full = Resolve-FullPath -Path $PolicyPath
        if (-not (Test-Path -LiteralPath $full -PathType Leaf)) {
            throw "The policy file '$full' does not exist. Nothing was changed."
        }
        return $full
    }
    if (Test-Path -LiteralPath $Setup.ActivePolicyPath -PathType Leaf) {
        return $Setup.ActivePolicyPath
    }
    Join-Path $Setup.PackagePolicyFolder $script:DefaultPolicyFileName
}

function Read-PolicyDocument {
    # Plain XML read for the installer's own needs (key files, forced-TLS settings): no DTD, no resolver, as the
    # agent itself reads it. Validation proper is the agent's job (Test-EncryptionPolicy).
    [CmdletBinding()]
    param([Parameter(Mandatory)][string] $Path)

    $settings = New-Object System.Xml.XmlReaderSettings
    $settings.DtdProcessing = [System.Xml.DtdProcessing]::Prohibit
    $settings.XmlResolver = $null
    $reader = [System.Xml.XmlReader]::Create($Path, $settings)
    try {
        $document = New-Object System.Xml.XmlDocument
        $document.XmlResolver = $null
        $document.Load($reader)
        $document
    }
    finally {
        $reader.Dispose()
    }
}

function Get-PolicyReference {
    # Files the agent must be able to read: attributes KeyFile, PfxFile and PasswordFile anywhere in the policy,
    # absolute or relative to the policy file.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][System.Xml.XmlDocument] $Document,
        [Parameter(Mandatory)][string] $PolicyPath
    )

    $policyFolder = Split-Path -Parent $PolicyPath
    $conditions = ($script:PolicyReferenceAttributes | ForEach-Object { "local-name()='$_'" }) -join ' or '
    foreach ($attribute in @($Document.SelectNodes("//@*[$conditions]"))) {
        $value = $attribute.Value.Trim()
        $relative = -not [System.IO.Path]::IsPathRooted($value)
        $sourcePath = $value
        if ($relative) {
            $sourcePath = [System.IO.Path]::GetFullPath((Join-Path $policyFolder $value))
        }
        [pscustomobject]@{
            Attribute  = $attribute.LocalName
            Value      = $value
            IsRelative = $relative
            SourcePath = $sourcePath
        }
    }
}

function Get-ForcedTlsSetting {
    [CmdletBinding()]
    param([Parameter(Mandatory)][System.Xml.XmlDocument] $Document)

    $namespaces = New-Object System.Xml.XmlNamespaceManager -ArgumentList $Document.NameTable
    $namespaces.AddNamespace('p', $script:PolicyNamespace)
    $node = $Document.SelectSingleNode('/p:Policy/p:Settings/p:ForcedTls', $namespaces)
    if ($null -eq $node -or -not $node.GetAttribute('AddressSpace')) {
        return $null
    }
    $tlsDomain = $node.GetAttribute('TlsDomain')
    if (-not $tlsDomain) {
        $tlsDomain = $null
    }
    [pscustomobject]@{ AddressSpace = $node.GetAttribute('AddressSpace'); TlsDomain = $tlsDomain }
}

function Get-InstalledPolicyReference {
    # For uninstall: what the installed policy refers to, so the access Install granted can be taken back.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Setup)

    if (-not (Test-Path -LiteralPath $Setup.ActivePolicyPath -PathType Leaf)) {
        return
    }
    try {
        $document = Read-PolicyDocument -Path $Setup.ActivePolicyPath
        Get-PolicyReference -Document $document -PolicyPath $Setup.ActivePolicyPath
    }
    catch {
        Write-Warning "Could not read '$($Setup.ActivePolicyPath)' ($($_.Exception.Message)); access to the key files it names is left as it is."
    }
}

function Get-InstalledPolicyError {
    # For Status: $null when there is nothing to validate with or nothing to validate.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Setup)

    $validator = $Setup.PackageAssemblyPath
    if (-not $validator -or -not (Test-Path -LiteralPath $validator -PathType Leaf)) {
        return $null
    }
    if (-not (Test-Path -LiteralPath $Setup.ActivePolicyPath -PathType Leaf)) {
        return $null
    }
    , @((Test-EncryptionPolicy -Path $Setup.ActivePolicyPath -AgentAssemblyPath $validator).Errors)
}

function New-PolicyTestResult {
    [CmdletBinding()]
    param(
        [string] $Path,
        [string[]] $Errors
    )

    [pscustomobject]@{ Path = $Path; IsValid = (@($Errors).Count -eq 0); Errors = @($Errors) }
}

#endregion

#region Steps: files

function Get-AgentBinaryChange {
    # Package files under agent\ that are missing or different in the install folder. NLog.config is the
    # administrator's once installed, so it only counts when absent.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Setup)

    foreach ($file in @(Get-ChildItem -LiteralPath $Setup.PackageAgentFolder -File)) {
        $destination = Join-Path $Setup.InstallPath $file.Name
        $isLoggingConfig = $file.Name -eq $script:LoggingConfigFileName
        if ($isLoggingConfig -and (Test-Path -LiteralPath $destination -PathType Leaf)) {
            continue
        }
        if (-not (Test-SameFileContent -Source $file.FullName -Destination $destination)) {
            # EdgeTransport.exe loads every file here except NLog.config (read once, and optional).
            [pscustomobject]@{ Source = $file.FullName; Destination = $destination; NeedsRestart = -not $isLoggingConfig }
        }
    }
}

function Get-ShippedPolicyChange {
    # Package files under Policies\ (policy.xsd, default.xml, examples\) that are missing or different.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Setup)

    if (-not (Test-Path -LiteralPath $Setup.PackagePolicyFolder -PathType Container)) {
        return
    }
    $root = (Get-Item -LiteralPath $Setup.PackagePolicyFolder).FullName
    foreach ($file in @(Get-ChildItem -LiteralPath $root -File -Recurse)) {
        $relative = $file.FullName.Substring($root.Length).TrimStart('\', '/')
        $destination = Join-Path $Setup.PolicyFolder $relative
        if (-not (Test-SameFileContent -Source $file.FullName -Destination $destination)) {
            [pscustomobject]@{ Source = $file.FullName; Destination = $destination }
        }
    }
}

function Test-SameFileContent {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string] $Source,
        [Parameter(Mandatory)][string] $Destination
    )

    if (-not (Test-Path -LiteralPath $Destination -PathType Leaf)) {
        return $false
    }
    (Get-FileHash -LiteralPath $Source -Algorithm SHA256).Hash -eq (Get-FileHash -LiteralPath $Destination -Algorithm SHA256).Hash
}

function Copy-AgentBinary {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        [object[]] $Change
    )

    Copy-FileSet -Change $Change -Description "Copy $(@($Change).Count) agent file(s) to $($Setup.InstallPath)"
}

function Copy-ShippedPolicyFile {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] $Setup)

    $change = @(Get-ShippedPolicyChange -Setup $Setup)
    Copy-FileSet -Change $change -Description "Copy $($change.Count) shipped policy file(s) (schema, default, examples) to $($Setup.PolicyFolder)"
}

function Copy-PolicyReferenceFile {
    # Key and password files named relative to a policy from outside the install folder travel with it, keeping
    # their relative place, so the references stay valid. Absolute references stay where they are.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        [Parameter(Mandatory)] $Policy
    )

    if ($Policy.SourcePath -eq $Setup.ActivePolicyPath) {
        return
    }
    $sourceFolder = Split-Path -Parent $Policy.SourcePath
    $change = @()
    foreach ($reference in @($Policy.References | Where-Object { $_.IsRelative })) {
        $destination = Get-RelocatedPath -Path $reference.SourcePath -From $sourceFolder -To $Setup.PolicyFolder -Value $reference.Value
        if (-not (Test-SameFileContent -Source $reference.SourcePath -Destination $destination)) {
            $change += [pscustomobject]@{ Source = $reference.SourcePath; Destination = $destination }
        }
    }
    Copy-FileSet -Change $change -Description "Copy $($change.Count) key or password file(s) the policy names to $($Setup.PolicyFolder)"
}

function Get-RelocatedPath {
    [CmdletBinding()]
    param(
        [string] $Path,
        [string] $From,
        [string] $To,
        [string] $Value
    )

    Join-Path $To (Get-PathBelow -Path $Path -Folder $From -Value $Value)
}

function Get-PathBelow {
    # The part of $Path below $Folder; a relative reference that climbs out of the policy's folder cannot travel.
    [CmdletBinding()]
    param(
        [string] $Path,
        [string] $Folder,
        [string] $Value
    )

    $prefix = $Folder.TrimEnd('\', '/') + [System.IO.Path]::DirectorySeparatorChar
    if (-not $Path.StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase)) {
        throw "The policy names '$Value', which is outside the policy's folder. Nothing was changed. Use an absolute path for files that stay where they are, or keep key files in the policy's folder or below."
    }
    $Path.Substring($prefix.Length)
}

function Copy-ActivePolicy {
    # Last of the file steps: the agent hot-reloads policy.xml, so everything it names is in place and readable first.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        [Parameter(Mandatory)] $Policy
    )

    if ($Policy.SourcePath -eq $Setup.ActivePolicyPath -or (Test-SameFileContent -Source $Policy.SourcePath -Destination $Setup.ActivePolicyPath)) {
        return
    }
    $change = @([pscustomobject]@{ Source = $Policy.SourcePath; Destination = $Setup.ActivePolicyPath })
    Copy-FileSet -Change $change -Description "Activate policy $($Policy.SourcePath) as $($Setup.ActivePolicyPath)"
}

function Copy-FileSet {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [object[]] $Change,
        [Parameter(Mandatory)][string] $Description
    )

    if (@($Change).Count -eq 0) {
        return
    }
    if ($PSCmdlet.ShouldProcess($Description, 'Copy files')) {
        foreach ($item in $Change) {
            Copy-AgentFile -Source $item.Source -Destination $item.Destination
        }
    }
    $Description
}

function New-AgentLogFolder {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] $Setup)

    if (Test-Path -LiteralPath $Setup.LogFolder -PathType Container) {
        return
    }
    $description = "Create log folder $($Setup.LogFolder)"
    if ($PSCmdlet.ShouldProcess($Setup.LogFolder, 'Create folder')) {
        $null = New-Item -ItemType Directory -Path $Setup.LogFolder -Force
    }
    $description
}

function Unblock-InstalledFile {
    # Files that came from a downloaded zip carry a Zone.Identifier mark; LoadFrom refuses such a DLL (0x80131515).
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] $Setup)

    if (-not (Test-Path -LiteralPath $Setup.InstallPath -PathType Container)) {
        return
    }
    $blocked = @(Get-ChildItem -LiteralPath $Setup.InstallPath -File -Recurse | Where-Object { Test-FileBlocked -Path $_.FullName })
    if ($blocked.Count -eq 0) {
        return
    }
    $description = "Unblock $($blocked.Count) downloaded file(s) in $($Setup.InstallPath)"
    if ($PSCmdlet.ShouldProcess($description, 'Unblock files')) {
        foreach ($file in $blocked) {
            Unblock-AgentFile -Path $file.FullName
        }
    }
    $description
}

function Remove-AgentFile {
    # Everything Install put in the install folder except the data (Policies\, Logs\), and the upgrade backup.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] $Setup)

    $items = @()
    if (Test-Path -LiteralPath $Setup.InstallPath -PathType Container) {
        $keep = @($script:PolicyFolderName, $script:LogFolderName)
        $items += @(Get-ChildItem -LiteralPath $Setup.InstallPath | Where-Object { $keep -notcontains $_.Name } | ForEach-Object { $_.FullName })
    }
    if (Test-Path -LiteralPath $Setup.BackupPath) {
        $items += $Setup.BackupPath
    }
    if ($items.Count -eq 0) {
        return
    }
    $description = "Delete $($items.Count) agent file(s) and folder(s) from $($Setup.InstallPath)"
    if ($PSCmdlet.ShouldProcess($description, 'Delete files')) {
        foreach ($item in $items) {
            Remove-AgentItem -Path $item
        }
        Remove-EmptyFolder -Path $Setup.InstallPath
    }
    $description
}

function Remove-AgentData {
    # Policies (with the key files copied beside them) and logs. High impact: asks unless -Confirm:$false.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param([Parameter(Mandatory)] $Setup)

    $items = @($Setup.PolicyFolder, $Setup.LogFolder | Where-Object { Test-Path -LiteralPath $_ })
    if ($items.Count -eq 0) {
        return
    }
    $description = "Delete policies and logs: $($items -join ', ')"
    if ($PSCmdlet.ShouldProcess($description, 'Delete data')) {
        foreach ($item in $items) {
            Remove-AgentItem -Path $item
        }
        Remove-EmptyFolder -Path $Setup.InstallPath
    }
    $description
}

function Remove-EmptyFolder {
    [CmdletBinding()]
    param([string] $Path)

    if ((Test-Path -LiteralPath $Path -PathType Container) -and @(Get-ChildItem -LiteralPath $Path -Force).Count -eq 0) {
        Remove-AgentItem -Path $Path
    }
}

#endregion

#region Steps: upgrade with backup and rollback

function Invoke-BinaryReplacement {
    # The only window in which the transport service is down. Any failure inside it restores the backup.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        [Parameter(Mandatory)] $Policy,
        [Parameter(Mandatory)][object[]] $Change,
        [Nullable[int]] $Priority,
        [int] $TimeoutSeconds
    )

    $changes = New-Object System.Collections.Generic.List[string]
    Add-Change $changes (Backup-AgentInstallation -Setup $Setup)
    if (-not $PSCmdlet.ShouldProcess("$($Setup.ServerName): stop $script:TransportServiceName, replace $($Change.Count) agent file(s), start it (rolled back on failure)", 'Upgrade')) {
        $changes.Add("Replace $($Change.Count) agent file(s) while $script:TransportServiceName is stopped")
        return $changes
    }
    try {
        Add-Change $changes (Stop-TransportService)
        Add-Change $changes (Copy-AgentBinary -Setup $Setup -Change $Change)
        Add-Change $changes (Copy-ShippedPolicyFile -Setup $Setup)
        Add-Change $changes (Copy-ActivePolicy -Setup $Setup -Policy $Policy)
        Add-Change $changes (Unblock-InstalledFile -Setup $Setup)
        Add-Change $changes (Enable-Agent -Setup $Setup)
        Add-Change $changes (Set-AgentPriority -Setup $Setup -Priority $Priority)
        Add-Change $changes (Start-TransportService -TimeoutSeconds $TimeoutSeconds)
        Confirm-AgentRunning -Setup $Setup
    }
    catch {
        $failure = $_.Exception.Message
        Restore-PreviousVersion -Setup $Setup -Failure $failure -TimeoutSeconds $TimeoutSeconds
        throw "Upgrade failed: $failure The previous version was restored from $($Setup.BackupPath) and $script:TransportServiceName is running again."
    }
    $changes
}

function Backup-AgentInstallation {
    # A full copy of the installation except the logs, replacing any older backup: <InstallPath>.previous.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] $Setup)

    $description = "Back up $($Setup.InstallPath) to $($Setup.BackupPath)"
    if ($PSCmdlet.ShouldProcess($description, 'Back up')) {
        if (Test-Path -LiteralPath $Setup.BackupPath) {
            Remove-AgentItem -Path $Setup.BackupPath
        }
        foreach ($file in @(Get-InstalledFileForBackup -Setup $Setup)) {
            Copy-AgentFile -Source $file.FullName -Destination (Join-Path $Setup.BackupPath $file.RelativePath)
        }
    }
    $description
}

function Get-InstalledFileForBackup {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Setup)

    $root = (Get-Item -LiteralPath $Setup.InstallPath).FullName
    $logs = (Join-Path $root $script:LogFolderName) + [System.IO.Path]::DirectorySeparatorChar
    foreach ($file in @(Get-ChildItem -LiteralPath $root -File -Recurse)) {
        if (-not $file.FullName.StartsWith($logs, [System.StringComparison]::OrdinalIgnoreCase)) {
            [pscustomobject]@{ FullName = $file.FullName; RelativePath = $file.FullName.Substring($root.Length).TrimStart('\', '/') }
        }
    }
}

function Restore-PreviousVersion {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        [string] $Failure,
        [int] $TimeoutSeconds
    )

    Write-Warning "Upgrade failed ($Failure). Rolling back to the version in $($Setup.BackupPath)."
    try {
        $null = Stop-TransportService
        Restore-AgentInstallation -Setup $Setup
        $null = Start-TransportService -TimeoutSeconds $TimeoutSeconds
    }
    catch {
        throw "Upgrade failed: $Failure Rolling back failed too: $($_.Exception.Message) Restore by hand: stop $script:TransportServiceName, copy $($Setup.BackupPath) over $($Setup.InstallPath), start $script:TransportServiceName, then check Get-TransportAgent and the Application log."
    }
}

function Restore-AgentInstallation {
    # Files the new version added go; every backed-up file comes back. Logs are not touched.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] $Setup)

    if (-not (Test-Path -LiteralPath $Setup.BackupPath -PathType Container)) {
        throw "There is no backup at $($Setup.BackupPath)."
    }
    $backupRoot = (Get-Item -LiteralPath $Setup.BackupPath).FullName
    $backedUp = @{}
    foreach ($file in @(Get-ChildItem -LiteralPath $backupRoot -File -Recurse)) {
        $backedUp[$file.FullName.Substring($backupRoot.Length).TrimStart('\', '/')] = $file.FullName
    }
    foreach ($file in @(Get-InstalledFileForBackup -Setup $Setup)) {
        if (-not $backedUp.ContainsKey($file.RelativePath)) {
            Remove-AgentItem -Path $file.FullName
        }
    }
    foreach ($relative in $backedUp.Keys) {
        Copy-AgentFile -Source $backedUp[$relative] -Destination (Join-Path $Setup.InstallPath $relative)
    }
}

#endregion

#region Steps: event source and access rights

function Install-AgentEventSource {
    # Only an administrator can create an event source; the transport service account can only write to it.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param()

    $log = Get-AgentEventSourceLog -Name $script:EventSourceName
    if ($log -eq $script:EventLogName) {
        return
    }
    if ($log) {
        throw "The event source '$script:EventSourceName' already belongs to the '$log' log, not '$script:EventLogName'. Nothing else was changed. Remove it with [System.Diagnostics.EventLog]::DeleteEventSource('$script:EventSourceName') and run install.ps1 again."
    }
    $description = "Create event source '$script:EventSourceName' in the $script:EventLogName log"
    if ($PSCmdlet.ShouldProcess($description, 'Create event source')) {
        Register-AgentEventSource -Name $script:EventSourceName -LogName $script:EventLogName
    }
    $description
}

function Uninstall-AgentEventSource {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param()

    if (-not (Get-AgentEventSourceLog -Name $script:EventSourceName)) {
        return
    }
    $description = "Remove event source '$script:EventSourceName'"
    if ($PSCmdlet.ShouldProcess($description, 'Remove event source')) {
        Unregister-AgentEventSource -Name $script:EventSourceName
    }
    $description
}

function Get-AgentAccessRule {
    # What the transport service account needs: read on the policies (and every key or password file the policy
    # names), modify on its log folder only. Nothing else in the install folder becomes writable.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Setup,
        [object[]] $Reference
    )

    [pscustomobject]@{ Path = $Setup.PolicyFolder; Rights = 'Read'; IsFolder = $true }
    [pscustomobject]@{ Path = $Setup.LogFolder; Rights = 'Modify'; IsFolder = $true }
    foreach ($item in @($Reference | Where-Object { -not $_.IsRelative })) {
        [pscustomobject]@{ Path = $item.SourcePath; Rights = 'Read'; IsFolder = $false }
    }
}

function Grant-AgentAccess {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        [Parameter(Mandatory)] $Policy
    )

    foreach ($rule in @(Get-AgentAccessRule -Setup $Setup -Reference $Policy.References)) {
        if (Test-AccessGranted -Path $rule.Path -Account $Setup.ServiceAccount -Rights $rule.Rights) {
            continue
        }
        $description = "Grant $($Setup.ServiceAccount) $($rule.Rights) on $($rule.Path)"
        if ($PSCmdlet.ShouldProcess($description, 'Grant access')) {
            Grant-Access -Path $rule.Path -Account $Setup.ServiceAccount -Rights $rule.Rights -IsFolder:$rule.IsFolder
        }
        $description
    }
}

function Revoke-AgentAccess {
    # Takes back exactly the rules Install added. Folders about to be deleted with -RemoveData are skipped.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        [object[]] $Reference,
        [switch] $RemoveData
    )

    foreach ($rule in @(Get-AgentAccessRule -Setup $Setup -Reference $Reference)) {
        if ($RemoveData -and $rule.IsFolder) {
            continue
        }
        if (-not (Test-Path -LiteralPath $rule.Path) -or -not (Test-AccessRulePresent -Path $rule.Path -Account $Setup.ServiceAccount -Rights $rule.Rights -IsFolder:$rule.IsFolder)) {
            continue
        }
        $description = "Revoke $($Setup.ServiceAccount) $($rule.Rights) on $($rule.Path)"
        if ($PSCmdlet.ShouldProcess($description, 'Revoke access')) {
            Revoke-Access -Path $rule.Path -Account $Setup.ServiceAccount -Rights $rule.Rights -IsFolder:$rule.IsFolder
        }
        $description
    }
}

#endregion

function Get-ProtectedFolderRule {
    # Folders that hold secrets get an ACL of their own, not the install folder's: Policies\ (private keys are copied
    # beside the policy) and Logs\spool (plain text of messages while they are signed or encrypted). Inheritance is
    # cut, so a broad grant on the install folder (Users: Read on Program Files) never reaches them. Accounts by SID,
    # so localised Windows (NT-AUTORITAET\SYSTEM) and renamed groups make no difference.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Setup)

    $account = Get-AccountSid -Account $Setup.ServiceAccount
    [pscustomobject]@{
        Path  = $Setup.PolicyFolder
        Rules = @(
            [pscustomobject]@{ Sid = 'S-1-5-18'; Rights = 'FullControl' }
            [pscustomobject]@{ Sid = 'S-1-5-32-544'; Rights = 'FullControl' }
            [pscustomobject]@{ Sid = $account; Rights = 'Read' })
    }
    [pscustomobject]@{
        Path  = Join-Path $Setup.LogFolder $script:SpoolFolderName
        Rules = @(
            [pscustomobject]@{ Sid = 'S-1-5-18'; Rights = 'FullControl' }
            [pscustomobject]@{ Sid = 'S-1-5-32-544'; Rights = 'FullControl' }
            [pscustomobject]@{ Sid = $account; Rights = 'Modify' })
    }
}

function Protect-AgentDataFolder {
    # Creates Logs\spool (the agent would create it inheriting Logs\) and gives both folders their protected ACL,
    # unless they already have exactly that ACL.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] $Setup)

    foreach ($folder in @(Get-ProtectedFolderRule -Setup $Setup)) {
        if (-not (Test-Path -LiteralPath $folder.Path -PathType Container)) {
            if ($PSCmdlet.ShouldProcess($folder.Path, 'Create folder')) {
                $null = New-Item -ItemType Directory -Path $folder.Path -Force
            }
            "Create folder $($folder.Path)"
        }
        elseif (Test-ProtectedAcl -Path $folder.Path -Rule $folder.Rules) {
            continue
        }
        $description = "Protect $($folder.Path): no inherited access; " + (($folder.Rules | ForEach-Object { "$($_.Sid) $($_.Rights)" }) -join ', ')
        if ($PSCmdlet.ShouldProcess($description, 'Set access control list')) {
            Set-ProtectedAcl -Path $folder.Path -Rule $folder.Rules
        }
        $description
    }
}

#endregion

#region Steps: the forced-TLS send connector

function Sync-ForcedTlsConnector {
    # Create or update the send connector the agent routes forced-TLS recipients to (RoutingOverride to the policy's
    # address space, UseRecipientDomain): it must exist before the agent runs, or those messages wait in Unreachable.
    # The connector is shared by every server: this server adds itself with Set-SendConnector's add form
    # (@{Add=...}), never by writing the whole list, so servers installed one after another never drop each other.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        [Parameter(Mandatory)] $Policy,
        [Parameter(Mandatory)][string] $Name,
        [switch] $Skip
    )

    if ($Skip -or $null -eq $Policy.ForcedTls) {
        return
    }
    if ($Setup.TransportService -eq 'Edge') {
        # SourceTransportServers is not valid on an Edge server, and a subscribed Edge server gets its send
        # connectors from the organisation through EdgeSync (a connector made here would be replaced).
        Write-Warning "Edge Transport server: the forced-TLS send connector '$Name' is not created here. Create it in the organisation with the Edge subscription as its source, or on a standalone Edge server by hand (docs/operations.md, 'Mailbox or Edge')."
        return
    }
    $connector = Get-ForcedTlsConnector -Name $Name
    $desired = Get-DesiredConnectorSetting -ForcedTls $Policy.ForcedTls -Connector $connector
    if ($null -eq $connector) {
        $description = "Create send connector '$Name' for $($desired.AddressSpaces) (RequireTLS, DomainValidation) with source server $($Setup.ServerName)"
        if ($PSCmdlet.ShouldProcess($description, 'Create send connector')) {
            New-SendConnector -Name $Name -Usage Custom @desired -SourceTransportServers @($Setup.ServerName)
        }
        return $description
    }
    $drift = @(Get-ConnectorDrift -Connector $connector -Desired $desired)
    if ($drift.Count -gt 0) {
        $description = "Update send connector '$Name' ($($drift -join ', ')): $($desired.AddressSpaces), RequireTLS, DomainValidation, enabled, STARTTLS not ignored"
        if ($PSCmdlet.ShouldProcess($description, 'Update send connector')) {
            Set-SendConnector -Identity $Name @desired
        }
        $description
    }
    if (-not (Test-ConnectorHasServer -Connector $connector -ServerName $Setup.ServerName)) {
        $description = "Add $($Setup.ServerName) to the source servers of send connector '$Name'"
        if ($PSCmdlet.ShouldProcess($description, 'Update send connector')) {
            Set-SendConnector -Identity $Name -SourceTransportServers @{ Add = $Setup.ServerName }
        }
        $description
    }
}

function Get-ConnectorCmdlet {
    # The send connector cmdlets Install and Upgrade may call: none on Edge, with -SkipForcedTlsConnector, or for a
    # policy without a forced-TLS address space.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Setup,
        [Parameter(Mandatory)] $Policy,
        [switch] $Skip
    )

    if ($Skip -or $null -eq $Policy.ForcedTls -or $Setup.TransportService -eq 'Edge') {
        return @()
    }
    @('New-SendConnector', 'Set-SendConnector')
}

function Get-DesiredConnectorSetting {
    # Everything forced TLS needs from the connector except its source servers, which each server adds or removes
    # itself. Enabled and IgnoreSTARTTLS are part of it: a disabled connector, or one that ignores STARTTLS, would
    # hold or downgrade exactly the mail that must go out over TLS.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $ForcedTls,
        $Connector
    )

    $settings = @{
        AddressSpaces     = "SMTP:$($ForcedTls.AddressSpace);1"
        RequireTLS        = $true
        TlsAuthLevel      = 'DomainValidation'
        DNSRoutingEnabled = $true
        Enabled           = $true
        IgnoreSTARTTLS    = $false
    }
    # No TlsDomain: the certificate is matched against the recipient's domain, which is what forced TLS to the
    # recipient's own MX wants. A policy may name one (a partner's hosting provider).
    if ($ForcedTls.TlsDomain -or ($null -ne $Connector -and (Get-PropertyOrNull $Connector 'TlsDomain'))) {
        $settings['TlsDomain'] = $ForcedTls.TlsDomain
    }
    $settings
}

function Get-ConnectorDrift {
    # The names of the settings an existing connector does not have as desired. Microsoft documents no output
    # properties for Get-SendConnector, and a deserialized copy differs from the live object, so every property is
    # read defensively: one that cannot be read counts as drift (and is set), it never fails the run.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Connector,
        [Parameter(Mandatory)][hashtable] $Desired
    )

    $spaces = @(Get-PropertyOrNull $Connector 'AddressSpaces' | Where-Object { $null -ne $_ } | ForEach-Object { ConvertTo-AddressSpaceText -AddressSpace $_ })
    if ($spaces.Count -ne 1 -or $spaces[0] -ne $Desired.AddressSpaces) {
        'AddressSpaces'
    }
    foreach ($flag in @('RequireTLS', 'DNSRoutingEnabled', 'Enabled', 'IgnoreSTARTTLS')) {
        $value = Get-PropertyOrNull $Connector $flag
        if ($null -eq $value -or [bool]$value -ne [bool]$Desired[$flag]) {
            $flag
        }
    }
    if ([string](Get-PropertyOrNull $Connector 'TlsAuthLevel') -ne $Desired.TlsAuthLevel) {
        'TlsAuthLevel'
    }
    if ([string](Get-PropertyOrNull $Connector 'TlsDomain') -ne [string]$Desired['TlsDomain']) {
        'TlsDomain'
    }
}

function ConvertTo-AddressSpaceText {
    # "TYPE:address;cost" from an address space object (Type, Address, Cost) or from the string a deserialized
    # connector carries instead.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $AddressSpace)

    $address = Get-PropertyOrNull $AddressSpace 'Address'
    if ($null -eq $address) {
        return [string]$AddressSpace
    }
    '{0}:{1};{2}' -f (Get-PropertyOrNull $AddressSpace 'Type'), $address, (Get-PropertyOrNull $AddressSpace 'Cost')
}

function Remove-ServerFromForcedTlsConnector {
    # Uninstall: this server leaves the connector with Set-SendConnector's remove form (@{Remove=...}), so a server
    # added meanwhile stays; the connector goes with its last server.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        [Parameter(Mandatory)][string] $Name,
        [switch] $Skip
    )

    if ($Skip -or $Setup.TransportService -eq 'Edge') {
        return
    }
    $connector = Get-ForcedTlsConnector -Name $Name
    if ($null -eq $connector -or -not (Test-ConnectorHasServer -Connector $connector -ServerName $Setup.ServerName)) {
        return
    }
    $remaining = @(Get-ConnectorServerName -Connector $connector | Where-Object { $_ -ne $Setup.ServerName })
    if ($remaining.Count -eq 0) {
        $description = "Remove send connector '$Name' (its last source server was $($Setup.ServerName))"
        if ($PSCmdlet.ShouldProcess($description, 'Remove send connector')) {
            Remove-SendConnector -Identity $Name -Confirm:$false
        }
        return $description
    }
    $description = "Remove $($Setup.ServerName) from the source servers of send connector '$Name'"
    if ($PSCmdlet.ShouldProcess($description, 'Update send connector')) {
        Set-SendConnector -Identity $Name -SourceTransportServers @{ Remove = $Setup.ServerName }
    }
    $description
}

function Get-ForcedTlsConnector {
    [CmdletBinding()]
    param([Parameter(Mandatory)][string] $Name)

    # Listing and filtering avoids Get-SendConnector's error for a missing identity.
    @(Get-SendConnector | Where-Object { [string](Get-PropertyOrNull $_ 'Name') -eq $Name -or [string](Get-PropertyOrNull $_ 'Identity') -eq $Name }) | Select-Object -First 1
}

function Get-ConnectorServerName {
    [CmdletBinding()]
    param($Connector)

    if ($null -eq $Connector) {
        return
    }
    foreach ($server in @(Get-PropertyOrNull $Connector 'SourceTransportServers' | Where-Object { $null -ne $_ })) {
        # ADObjectId on a server, a string in a deserialized object: both have a name.
        $name = Get-PropertyOrNull $server 'Name'
        if (-not $name) {
            $name = [string]$server
        }
        $name
    }
}

function Test-ConnectorHasServer {
    [CmdletBinding()]
    param(
        $Connector,
        [Parameter(Mandatory)][string] $ServerName
    )

    @(Get-ConnectorServerName -Connector $Connector) -contains $ServerName
}

#endregion

#region Steps: the transport agent and the transport service

function Get-AgentRegistration {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Setup)

    @(Get-TransportAgent -TransportService $Setup.TransportService | Where-Object { Test-AgentNamed -Agent $_ -Name $script:AgentName }) | Select-Object -First 1
}

function Test-AgentNamed {
    # Identity is a TransportAgentObjectId on the server and a string after remoting: compare as strings.
    [CmdletBinding()]
    param(
        $Agent,
        [Parameter(Mandatory)][string] $Name
    )

    [string](Get-PropertyOrNull $Agent 'Identity') -eq $Name -or [string](Get-PropertyOrNull $Agent 'Name') -eq $Name
}

function Register-Agent {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        $Registration
    )

    if ($null -ne $Registration) {
        Assert-RegistrationIsOurs -Setup $Setup -Registration $Registration
        return
    }
    $description = "Install-TransportAgent $script:AgentName ($script:FactoryTypeName, $($Setup.AssemblyPath)) on the $($Setup.TransportService) transport service"
    if ($PSCmdlet.ShouldProcess($description, 'Install transport agent')) {
        $null = Install-TransportAgent -Name $script:AgentName -TransportAgentFactory $script:FactoryTypeName -AssemblyPath $Setup.AssemblyPath -TransportService $Setup.TransportService -Confirm:$false
    }
    $description
}

function Assert-RegistrationIsOurs {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Setup,
        [Parameter(Mandatory)] $Registration
    )

    $path = [string](Get-PropertyOrNull $Registration 'AssemblyPath')
    $factory = [string](Get-PropertyOrNull $Registration 'TransportAgentFactory')
    if (($path -and $path -ne $Setup.AssemblyPath) -or ($factory -and $factory -ne $script:FactoryTypeName)) {
        throw "A transport agent named '$script:AgentName' is already registered with $factory from '$path'. Nothing was changed. Uninstall it first, or pass -InstallPath '$(Split-Path -Parent $path)'."
    }
}

function Enable-Agent {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] $Setup)

    $registration = Get-AgentRegistration -Setup $Setup
    if ($null -ne $registration -and [bool](Get-PropertyOrNull $registration 'Enabled')) {
        return
    }
    $description = "Enable-TransportAgent $script:AgentName"
    if ($PSCmdlet.ShouldProcess($description, 'Enable transport agent')) {
        Enable-TransportAgent -Identity $script:AgentName -TransportService $Setup.TransportService -Confirm:$false
    }
    $description
}

function Set-AgentPriority {
    # -Priority given: that position. Otherwise keep the agent after the Transport Rule agent (both work in
    # OnResolvedMessage; rules must change the message before it is encrypted) and leave it alone if it already is.
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] $Setup,
        [Nullable[int]] $Priority
    )

    $agents = @(Get-TransportAgent -TransportService $Setup.TransportService)
    $ours = @($agents | Where-Object { Test-AgentNamed -Agent $_ -Name $script:AgentName }) | Select-Object -First 1
    $rules = @($agents | Where-Object { Test-AgentNamed -Agent $_ -Name $script:TransportRuleAgentName }) | Select-Object -First 1
    $current = Get-PropertyOrNull $ours 'Priority'
    $target = Get-TargetPriority -Requested $Priority -Current $current -TransportRulePriority (Get-PropertyOrNull $rules 'Priority')
    if ($null -eq $target -or ($null -ne $current -and [int]$current -eq $target)) {
        return
    }
    $rulesPriority = Get-PropertyOrNull $rules 'Priority'
    if ($null -ne $rulesPriority -and $target -le [int]$rulesPriority -and ($null -eq $current -or [int]$current -gt [int]$rulesPriority)) {
        Write-Warning "Priority $target puts $script:AgentName before the $script:TransportRuleAgentName (priority $rulesPriority): mail flow rules (disclaimers, subject tags) would change messages after they are encrypted or signed. See docs/operations.md."
    }
    $description = "Set-TransportAgent $script:AgentName -Priority $target"
    if ($PSCmdlet.ShouldProcess($description, 'Set transport agent priority')) {
        Set-TransportAgent -Identity $script:AgentName -Priority $target -TransportService $Setup.TransportService -Confirm:$false
    }
    $description
}

function Assert-PriorityInRange {
    # Set-TransportAgent -Priority takes a value from 0 to the number of transport agents (Microsoft's cmdlet
    # reference); anything else is an error, never clamped. Checked before anything changes. A new agent counts:
    # it is registered before its priority is set.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Setup,
        [Nullable[int]] $Priority,
        $Registration
    )

    if ($null -eq $Priority) {
        return
    }
    $count = @(Get-TransportAgent -TransportService $Setup.TransportService).Count
    if ($null -eq $Registration) {
        $count++
    }
    if ($Priority -lt 0 -or $Priority -gt $count) {
        throw "-Priority $Priority is out of range: Set-TransportAgent takes 0 to $count, the number of transport agents on the $($Setup.TransportService) transport service of $($Setup.ServerName) (counting $script:AgentName). Nothing was changed. See the priorities with: Get-TransportAgent -TransportService $($Setup.TransportService) | Sort-Object Priority"
    }
}

function Get-TargetPriority {
    [CmdletBinding()]
    param(
        [Nullable[int]] $Requested,
        $Current,
        $TransportRulePriority
    )

    if ($null -ne $Requested) {
        return [int]$Requested
    }
    if ($null -eq $Current -or $null -eq $TransportRulePriority) {
        return $null
    }
    if ([int]$Current -lt [int]$TransportRulePriority) {
        # Moving down to the Transport Rule agent's number puts us right after it (it moves up by one).
        return [int]$TransportRulePriority
    }
    $null
}

function Disable-Agent {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] $Setup)

    $registration = Get-AgentRegistration -Setup $Setup
    if ($null -eq $registration -or -not [bool](Get-PropertyOrNull $registration 'Enabled')) {
        return
    }
    $description = "Disable-TransportAgent $script:AgentName"
    if ($PSCmdlet.ShouldProcess($description, 'Disable transport agent')) {
        Disable-TransportAgent -Identity $script:AgentName -TransportService $Setup.TransportService -Confirm:$false
    }
    $description
}

function Unregister-Agent {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] $Setup)

    if ($null -eq (Get-AgentRegistration -Setup $Setup)) {
        return
    }
    $description = "Uninstall-TransportAgent $script:AgentName"
    if ($PSCmdlet.ShouldProcess($description, 'Uninstall transport agent')) {
        Uninstall-TransportAgent -Identity $script:AgentName -TransportService $Setup.TransportService -Confirm:$false
    }
    $description
}

function Restart-TransportService {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([int] $TimeoutSeconds = 300)

    $description = "Restart $script:TransportServiceName (mail flow on this server pauses briefly)"
    if ($PSCmdlet.ShouldProcess($description, 'Restart service')) {
        Restart-Service -Name $script:TransportServiceName
        Wait-TransportServiceRunning -TimeoutSeconds $TimeoutSeconds
    }
    $description
}

function Stop-TransportService {
    # Stop-Service returns once the service has stopped (it drains its queues to disk first).
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param()

    if ((Get-TransportServiceState) -eq 'Stopped') {
        return
    }
    $description = "Stop $script:TransportServiceName"
    if ($PSCmdlet.ShouldProcess($description, 'Stop service')) {
        Stop-Service -Name $script:TransportServiceName
    }
    $description
}

function Start-TransportService {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([int] $TimeoutSeconds = 300)

    $description = "Start $script:TransportServiceName"
    if ($PSCmdlet.ShouldProcess($description, 'Start service')) {
        Start-Service -Name $script:TransportServiceName
        Wait-TransportServiceRunning -TimeoutSeconds $TimeoutSeconds
    }
    $description
}

function Wait-TransportServiceRunning {
    # Running is not enough: a transport service whose agent factory throws stops itself a few seconds later
    # (event 1052/1053), so it must also stay Running for a while.
    [CmdletBinding()]
    param([int] $TimeoutSeconds = 300)

    $waited = 0
    while ((Get-TransportServiceState) -ne 'Running') {
        if ($waited -ge $TimeoutSeconds) {
            throw "$script:TransportServiceName did not reach Running within $TimeoutSeconds seconds. Look in the Application log for MSExchange Extensibility events 1050-1057 and for $script:EventSourceName events."
        }
        Start-Sleep -Seconds $script:ServicePollSeconds
        $waited += $script:ServicePollSeconds
    }
    for ($settled = 0; $settled -lt $script:ServiceSettleSeconds; $settled += $script:ServicePollSeconds) {
        Start-Sleep -Seconds $script:ServicePollSeconds
        if ((Get-TransportServiceState) -ne 'Running') {
            throw "$script:TransportServiceName started but stopped again within $script:ServiceSettleSeconds seconds: the transport agents could not be loaded. Look in the Application log for MSExchange Extensibility events 1052-1054."
        }
    }
}

function Confirm-AgentRunning {
    # The end of Install and Upgrade: Get-TransportAgent shows the agent enabled, from our path, and the service runs.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Setup)

    if ($WhatIfPreference) {
        return
    }
    $registration = Get-AgentRegistration -Setup $Setup
    if ($null -eq $registration -or -not [bool](Get-PropertyOrNull $registration 'Enabled')) {
        throw "Get-TransportAgent does not show $script:AgentName enabled on the $($Setup.TransportService) transport service."
    }
    Assert-RegistrationIsOurs -Setup $Setup -Registration $registration
    $state = Get-TransportServiceState
    if ($state -ne 'Running') {
        throw "$script:TransportServiceName is $state, not Running."
    }
}

#endregion

#region Prerequisites and results

function Assert-SetupPrerequisite {
    [CmdletBinding()]
    param()

    if (-not (Test-IsAdministrator)) {
        throw 'Run install.ps1 as an administrator (right-click the Exchange Management Shell, Run as administrator). Nothing was changed.'
    }
    Import-ExchangeManagement
    Assert-ShellOnThisServer
    $release = Get-DotNetFrameworkRelease
    if ($release -lt $script:MinimumDotNetRelease) {
        throw ".NET Framework 4.8 or later is required (found release $release). Install it, restart the server and run install.ps1 again. Nothing was changed."
    }
}

function Assert-ExchangePermission {
    # Before anything changes: the account holds a management role with each Exchange cmdlet this run will call,
    # the way Microsoft documents finding that out: Get-ManagementRole -Cmdlet lists the roles that contain a cmdlet,
    # Get-ManagementRoleAssignment -RoleAssignee lists the account's assignments, direct or through its role groups
    # (with -WritableServer, only those whose scope covers this server). Edge Transport servers have no RBAC: the
    # local Administrators group is what counts there, and Assert-SetupPrerequisite checked it.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Setup,
        [string[]] $AgentCmdlet = @(),
        [string[]] $ConnectorCmdlet = @()
    )

    if ($Setup.TransportService -eq 'Edge') {
        return
    }
    # An empty list arrives as $null, which must not become a cmdlet to look up.
    $AgentCmdlet = @($AgentCmdlet | Where-Object { $_ })
    $ConnectorCmdlet = @($ConnectorCmdlet | Where-Object { $_ })
    $user = Get-CurrentUserName
    if (-not (Test-ExchangeCommandAvailable -Name 'Get-ManagementRole') -or -not (Test-ExchangeCommandAvailable -Name 'Get-ManagementRoleAssignment')) {
        Write-Warning "Could not check the Exchange permissions of ${user}: Get-ManagementRole and Get-ManagementRoleAssignment are not available to it. The run continues; a step the account may not run stops it there. Organization Management covers every step."
        return
    }
    try {
        $missing = @(
            @($AgentCmdlet | Where-Object { -not (Test-CmdletPermitted -Cmdlet $_ -User $user -Server $Setup.ServerName) })
            @($ConnectorCmdlet | Where-Object { -not (Test-CmdletPermitted -Cmdlet $_ -User $user) })
        )
    }
    catch {
        Write-Warning "Could not check the Exchange permissions of ${user} ($($_.Exception.Message)). The run continues; a step the account may not run stops it there."
        return
    }
    if ($missing.Count -gt 0) {
        $connectorHint = ''
        if (@($ConnectorCmdlet | Where-Object { $missing -contains $_ }).Count -gt 0) {
            $connectorHint = " Send connectors are an organisation setting: Microsoft's mail flow permissions list the Organization Management role group for them. To manage the forced-TLS connector yourself instead, run install.ps1 with -SkipForcedTlsConnector."
        }
        throw "The account $user holds no Exchange management role that allows $($missing -join ', ') on $($Setup.ServerName), which this run needs. Nothing was changed. Add the account to the Organization Management role group (Add-RoleGroupMember 'Organization Management' -Member '$user'), open a new Exchange Management Shell and run install.ps1 again.$connectorHint"
    }
}

function Test-CmdletPermitted {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string] $Cmdlet,
        [Parameter(Mandatory)][string] $User,
        [string] $Server
    )

    foreach ($role in @(Get-ManagementRole -Cmdlet $Cmdlet)) {
        $name = [string](Get-PropertyOrNull $role 'Name')
        if (-not $name) {
            continue
        }
        $query = @{ RoleAssignee = $User; Role = $name; Delegating = $false; Enabled = $true }
        if ($Server) {
            $query['WritableServer'] = $Server
        }
        if (@(Get-ManagementRoleAssignment @query).Count -gt 0) {
            return $true
        }
    }
    $false
}

function Assert-ShellOnThisServer {
    # The *-TransportAgent cmdlets change the server they run on (agents.config is a local file). In the Exchange
    # Management Shell they run on the server the shell is connected to, which is another server whenever this
    # one's PowerShell endpoint did not answer when the shell started. Nothing is done on the wrong server.
    [CmdletBinding()]
    param()

    $connected = Get-ExchangeShellServer
    if (-not $connected) {
        return
    }
    $local = Get-LocalServerName
    if (($connected -split '\.')[0] -ne $local) {
        throw "The Exchange Management Shell is connected to $connected, not to this server ($local): Install-TransportAgent and the other transport agent cmdlets would change $connected. Nothing was changed. Open the Exchange Management Shell on $local once its own Exchange PowerShell endpoint answers (the shell connects to the local server first), then run install.ps1 again; or run install.ps1 -Server $local from a shell connected to $connected's organisation."
    }
}

function Import-ExchangeManagement {
    # In the Exchange Management Shell the cmdlets are already there. Elsewhere (a plain Windows PowerShell, or the
    # remoting session a multi-server run opens on each server) they come from this server's own Exchange
    # PowerShell endpoint, the way Microsoft documents remote PowerShell: they then run on this server, so
    # Install-TransportAgent edits this server's agents.config, under the account's RBAC roles. The Exchange
    # snap-in is not loaded into a plain session: Microsoft does not support managing Exchange that way.
    [CmdletBinding()]
    param()

    if (Test-ExchangeManagementLoaded) {
        return
    }
    $fqdn = Get-LocalServerFqdn
    try {
        Connect-ExchangeEndpoint -ServerFqdn $fqdn -Credential $script:EndpointCredential
    }
    catch {
        throw "The Exchange cmdlets are not loaded, and this server's Exchange PowerShell endpoint (http://$fqdn/PowerShell/) could not be opened: $($_.Exception.Message) Nothing was changed. Run install.ps1 from the Exchange Management Shell on this server (on an Edge Transport server, that is the only way). For a run through -Server or -AllTransportServers, pass -Credential: a remoting session cannot pass your own logon on to the endpoint (Kerberos second hop)."
    }
}

function New-SetupResult {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Setup,
        [Parameter(Mandatory)][string] $Action,
        [System.Collections.Generic.List[string]] $Changes,
        [string] $PolicyPath
    )

    [pscustomobject]@{
        Server      = $Setup.ServerName
        Action      = $Action
        WhatIf      = [bool]$WhatIfPreference
        Changed     = $Changes.Count -gt 0
        Changes     = [string[]]$Changes.ToArray()
        Version     = Get-PackageVersion -Setup $Setup
        InstallPath = $Setup.InstallPath
        PolicyPath  = $PolicyPath
    }
}

function Add-Change {
    # Steps return a description of what they changed (or would change under -WhatIf), nothing when in place.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)][AllowEmptyCollection()][System.Collections.Generic.List[string]] $List,
        [Parameter(Position = 1)] $Description
    )

    foreach ($item in @($Description)) {
        if ($item) {
            $List.Add([string]$item)
        }
    }
}

function Get-PackageVersion {
    [CmdletBinding()]
    param($Setup)

    if ($null -eq $Setup -or -not $Setup.PackageAssemblyPath) {
        return $null
    }
    Get-AgentVersion -AssemblyPath $Setup.PackageAssemblyPath
}

function Test-InstalledMatchesPackage {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Setup)

    if (-not $Setup.PackageAgentFolder -or -not (Test-Path -LiteralPath $Setup.PackageAgentFolder -PathType Container)) {
        return $null
    }
    @(Get-AgentBinaryChange -Setup $Setup).Count -eq 0
}

function Get-PropertyOrNull {
    # Strict mode forbids reading a property an object lacks; Exchange objects and their deserialized copies differ.
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)] $InputObject,
        [Parameter(Position = 1)][string] $Name
    )

    if ($null -eq $InputObject) {
        return $null
    }
    $property = $InputObject.PSObject.Properties[$Name]
    if ($null -eq $property) {
        return $null
    }
    $property.Value
}

function Write-NextStep {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Result,
        [Parameter(Mandatory)] $Setup,
        $Policy
    )

    $lines = New-Object System.Collections.Generic.List[string]
    if ($Result.WhatIf) {
        $lines.Add("What if: $($Result.Changes.Count) change(s) on $($Setup.ServerName); nothing was changed.")
    }
    elseif (-not $Result.Changed) {
        $lines.Add("$($Setup.ServerName): $script:AgentName $($Result.Version) is installed as requested; nothing needed changing.")
    }
    else {
        $lines.Add("$($Setup.ServerName): $($Result.Action) of $script:AgentName $($Result.Version) done ($($Result.Changes.Count) change(s)).")
    }
    $lines.Add('Next steps:')
    $lines.Add("  1. Close this PowerShell window: Install-TransportAgent keeps $script:AgentAssemblyFileName open in it.")
    $lines.Add("  2. Check the Application log for $script:EventSourceName event 1000 (started) and no MSExchange Extensibility events 1050-1057.")
    $lines.Add("  3. Edit the policy in $($Setup.ActivePolicyPath) (validate first with Test-EncryptionPolicy); the agent reloads it without a restart.")
    $lines.Add("  4. Logs: $($Setup.LogFolder). Status any time: .\install.ps1 -Action Status")
    if ($null -ne $Policy -and $null -ne $Policy.ForcedTls -and $Setup.TransportService -eq 'Edge') {
        $lines.Add("  5. Create the forced-TLS send connector for $($Policy.ForcedTls.AddressSpace) in the organisation (docs/operations.md).")
    }
    Write-Host ($lines -join [Environment]::NewLine)
}

function Write-UninstallNextStep {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Result,
        [Parameter(Mandatory)] $Setup,
        [switch] $RemoveData
    )

    $kept = "Policies and logs were kept in $($Setup.PolicyFolder) and $($Setup.LogFolder); delete them with -RemoveData."
    if ($RemoveData) {
        $kept = 'Policies and logs were deleted. Key files named by absolute path in the policy were left where they are.'
    }
    Write-Host "$($Setup.ServerName): $script:AgentName removed ($($Result.Changes.Count) change(s)). $kept"
}

#endregion

#region Boundary: one small call per outside effect (the tests replace these)

function Test-IsAdministrator {
    $principal = New-Object System.Security.Principal.WindowsPrincipal -ArgumentList ([System.Security.Principal.WindowsIdentity]::GetCurrent())
    $principal.IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)
}

function Test-ExchangeManagementLoaded {
    [bool](Get-Command -Name Get-TransportAgent -ErrorAction SilentlyContinue)
}

function Get-DotNetFrameworkRelease {
    $key = Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' -Name Release -ErrorAction SilentlyContinue
    if ($null -eq $key) {
        return 0
    }
    [int]$key.Release
}

function Get-LocalServerName {
    $env:COMPUTERNAME
}

function Get-LocalServerFqdn {
    [System.Net.Dns]::GetHostEntry([string]$env:COMPUTERNAME).HostName
}

function Connect-ExchangeEndpoint {
    # Microsoft's remote PowerShell to an Exchange server, here this server itself; the commands are imported for
    # the whole session so that this module's calls reach them.
    param(
        [Parameter(Mandatory)][string] $ServerFqdn,
        [pscredential] $Credential
    )

    $parameters = @{ ConfigurationName = $script:ExchangeConfigurationName; ConnectionUri = "http://$ServerFqdn/PowerShell/"; Authentication = 'Kerberos' }
    if ($Credential) {
        $parameters['Credential'] = $Credential
    }
    $session = New-PSSession @parameters
    $null = Import-Module (Import-PSSession -Session $session -DisableNameChecking -AllowClobber) -Global -DisableNameChecking
}

function Get-CurrentUserName {
    # DOMAIN\user, which Get-ManagementRoleAssignment -RoleAssignee accepts.
    [System.Security.Principal.WindowsIdentity]::GetCurrent().Name
}

function Test-ExchangeCommandAvailable {
    param([Parameter(Mandatory)][string] $Name)

    [bool](Get-Command -Name $Name -ErrorAction SilentlyContinue)
}

function Get-ExchangeShellServer {
    # The server the Exchange cmdlets run on when they come from a remote session (the Exchange Management Shell
    # of 2013 and later connects to a server's /PowerShell endpoint, configuration Microsoft.Exchange); $null when
    # they run in this process (the Edge Transport server's shell, or the local snap-in).
    $command = Get-Command -Name Get-TransportAgent -ErrorAction SilentlyContinue
    if ($null -eq $command -or $command.CommandType -ne 'Function') {
        return $null
    }
    $session = @(Get-PSSession | Where-Object { $_.ConfigurationName -eq 'Microsoft.Exchange' -and $_.State -eq 'Opened' }) | Select-Object -First 1
    if ($null -eq $session) {
        return $null
    }
    $session.ComputerName
}

function Test-IsLocalServer {
    param([Parameter(Mandatory)][string] $Name)

    $shortName = ($Name -split '\.')[0]
    $shortName -eq (Get-LocalServerName) -or $Name -eq 'localhost' -or $Name -eq '.'
}

function Get-TransportServiceAccount {
    # The account EdgeTransport.exe runs as: NETWORK SERVICE unless someone changed it.
    $service = Get-CimInstance -ClassName Win32_Service -Filter "Name='$script:TransportServiceName'" -ErrorAction SilentlyContinue
    if ($null -eq $service -or -not $service.StartName) {
        return 'NT AUTHORITY\NETWORK SERVICE'
    }
    switch ($service.StartName) {
        'NT AUTHORITY\NetworkService' { return 'NT AUTHORITY\NETWORK SERVICE' }
        'LocalSystem' { return 'NT AUTHORITY\SYSTEM' }
    }
    $service.StartName
}

function Get-TransportServiceState {
    $service = Get-Service -Name $script:TransportServiceName -ErrorAction SilentlyContinue
    if ($null -eq $service) {
        return 'NotInstalled'
    }
    [string]$service.Status
}

function Get-AgentVersion {
    param([string] $AssemblyPath)

    if (-not $AssemblyPath -or -not (Test-Path -LiteralPath $AssemblyPath -PathType Leaf)) {
        return $null
    }
    [System.Diagnostics.FileVersionInfo]::GetVersionInfo($AssemblyPath).ProductVersion
}

function Import-AgentAssembly {
    # LoadFrom, as Exchange does, so the validator finds MimeKit and the rest beside the agent.
    param([Parameter(Mandatory)][string] $Path)

    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
        throw "The agent assembly '$Path' does not exist; it is needed to validate the policy."
    }
    try {
        [System.Reflection.Assembly]::LoadFrom($Path)
    }
    catch {
        # A downloaded, still blocked DLL fails here with HRESULT 0x80131515 ("Operation is not supported").
        throw "Could not load '$Path' to validate the policy: $($_.Exception.GetBaseException().Message) If the package was downloaded, unblock it (Get-ChildItem -Path '$(Split-Path -Parent (Split-Path -Parent $Path))' -Recurse | Unblock-File) and run install.ps1 again."
    }
}

function Invoke-PolicyFileValidator {
    # [ExchangeEncryptionAgent.Policy.PolicyFileValidator]::Validate(path) from that exact assembly: string[] of
    # "file:line:col: rule 'name': message", empty when valid.
    param(
        [Parameter(Mandatory)][System.Reflection.Assembly] $Assembly,
        [Parameter(Mandatory)][string] $Path
    )

    $type = $Assembly.GetType($script:PolicyValidatorTypeName, $false)
    if ($null -eq $type) {
        throw "'$($Assembly.Location)' has no $script:PolicyValidatorTypeName; it cannot validate policies. Use the agent from the same release package."
    }
    try {
        $type.GetMethod('Validate', [type[]]@([string])).Invoke($null, [object[]]@($Path))
    }
    catch {
        throw "The policy validator failed on '$Path': $($_.Exception.GetBaseException().Message)"
    }
}

function Copy-AgentFile {
    param(
        [Parameter(Mandatory)][string] $Source,
        [Parameter(Mandatory)][string] $Destination
    )

    $folder = Split-Path -Parent $Destination
    if (-not (Test-Path -LiteralPath $folder -PathType Container)) {
        $null = New-Item -ItemType Directory -Path $folder -Force
    }
    Copy-Item -LiteralPath $Source -Destination $Destination -Force
}

function Remove-AgentItem {
    param([Parameter(Mandatory)][string] $Path)

    try {
        Remove-Item -LiteralPath $Path -Recurse -Force
    }
    catch {
        throw "Could not delete '$Path' ($($_.Exception.Message)). If it is the agent DLL, a PowerShell window that ran Install-TransportAgent or Test-EncryptionPolicy still holds it open: close it and run install.ps1 again."
    }
}

function Test-FileBlocked {
    param([Parameter(Mandatory)][string] $Path)

    [bool](Get-Item -LiteralPath $Path -Stream 'Zone.Identifier' -ErrorAction SilentlyContinue)
}

function Unblock-AgentFile {
    param([Parameter(Mandatory)][string] $Path)

    Unblock-File -LiteralPath $Path
}

function Get-AgentEventSourceLog {
    # The log the source writes to, or $null when it does not exist. SourceExists searches every log, including
    # Security, which can throw for lack of rights: that counts as "not found" and creating it will then tell.
    param([Parameter(Mandatory)][string] $Name)

    try {
        if ([System.Diagnostics.EventLog]::SourceExists($Name)) {
            return [System.Diagnostics.EventLog]::LogNameFromSourceName($Name, '.')
        }
    }
    catch [System.Security.SecurityException] {
        Write-Verbose "Could not search every event log for source '$Name': $($_.Exception.Message)"
    }
    $null
}

function Register-AgentEventSource {
    # CreateEventSource also sets EventMessageFile to the .NET Framework's EventLogMessages.dll, so the Event
    # Viewer shows our messages instead of "The description for Event ID ... cannot be found".
    param(
        [Parameter(Mandatory)][string] $Name,
        [Parameter(Mandatory)][string] $LogName
    )

    [System.Diagnostics.EventLog]::CreateEventSource($Name, $LogName)
}

function Unregister-AgentEventSource {
    param([Parameter(Mandatory)][string] $Name)

    [System.Diagnostics.EventLog]::DeleteEventSource($Name)
}

function Get-WellKnownAccountSid {
    # Service accounts by SID: their names are translated on localised Windows (NT-AUTORITAET\NETZWERKDIENST).
    param([Parameter(Mandatory)][string] $Account)

    switch ($Account) {
        'NT AUTHORITY\NETWORK SERVICE' { return 'S-1-5-20' }
        'NT AUTHORITY\NetworkService' { return 'S-1-5-20' }
        'NT AUTHORITY\SYSTEM' { return 'S-1-5-18' }
        'LocalSystem' { return 'S-1-5-18' }
    }
    $null
}

function ConvertTo-AccountIdentity {
    param([Parameter(Mandatory)][string] $Account)

    $sid = Get-WellKnownAccountSid -Account $Account
    if ($sid) {
        return New-Object System.Security.Principal.SecurityIdentifier -ArgumentList $sid
    }
    New-Object System.Security.Principal.NTAccount -ArgumentList $Account
}

function New-AgentAccessRule {
    param(
        [Parameter(Mandatory)][string] $Account,
        [Parameter(Mandatory)][ValidateSet('Read', 'Modify')][string] $Rights,
        [switch] $IsFolder
    )

    $inheritance = [System.Security.AccessControl.InheritanceFlags]::None
    if ($IsFolder) {
        $inheritance = [System.Security.AccessControl.InheritanceFlags]'ContainerInherit, ObjectInherit'
    }
    $systemRights = [System.Security.AccessControl.FileSystemRights]::Read
    if ($Rights -eq 'Modify') {
        $systemRights = [System.Security.AccessControl.FileSystemRights]::Modify
    }
    New-Object System.Security.AccessControl.FileSystemAccessRule -ArgumentList @(
        (ConvertTo-AccountIdentity -Account $Account),
        $systemRights,
        $inheritance,
        [System.Security.AccessControl.PropagationFlags]::None,
        [System.Security.AccessControl.AccessControlType]::Allow)
}

function Test-AccessGranted {
    # True when the account already has the rights there, explicitly or inherited (an existing grant is not repeated).
    param(
        [Parameter(Mandatory)][string] $Path,
        [Parameter(Mandatory)][string] $Account,
        [Parameter(Mandatory)][string] $Rights
    )

    if (-not (Test-Path -LiteralPath $Path)) {
        return $false
    }
    $sid = (ConvertTo-AccountIdentity -Account $Account).Translate([System.Security.Principal.SecurityIdentifier])
    $wanted = [int](New-AgentAccessRule -Account $Account -Rights $Rights).FileSystemRights
    $rules = (Get-Acl -LiteralPath $Path).GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier])
    foreach ($rule in $rules) {
        if ($rule.IdentityReference -eq $sid -and $rule.AccessControlType -eq 'Allow' -and (([int]$rule.FileSystemRights -band $wanted) -eq $wanted)) {
            return $true
        }
    }
    $false
}

function Test-AccessRulePresent {
    # True when the exact explicit rule Install adds is there (what Uninstall may take back).
    param(
        [Parameter(Mandatory)][string] $Path,
        [Parameter(Mandatory)][string] $Account,
        [Parameter(Mandatory)][string] $Rights,
        [switch] $IsFolder
    )

    $wanted = New-AgentAccessRule -Account $Account -Rights $Rights -IsFolder:$IsFolder
    $sid = $wanted.IdentityReference.Translate([System.Security.Principal.SecurityIdentifier])
    foreach ($rule in (Get-Acl -LiteralPath $Path).GetAccessRules($true, $false, [System.Security.Principal.SecurityIdentifier])) {
        if ($rule.IdentityReference -eq $sid -and $rule.FileSystemRights -eq $wanted.FileSystemRights -and $rule.InheritanceFlags -eq $wanted.InheritanceFlags) {
            return $true
        }
    }
    $false
}

function Get-AccountSid {
    param([Parameter(Mandatory)][string] $Account)

    $sid = Get-WellKnownAccountSid -Account $Account
    if ($sid) {
        return $sid
    }
    (New-Object System.Security.Principal.NTAccount -ArgumentList $Account).Translate([System.Security.Principal.SecurityIdentifier]).Value
}

function New-ProtectedAccessRule {
    param([Parameter(Mandatory)] $Rule)

    New-Object System.Security.AccessControl.FileSystemAccessRule -ArgumentList @(
        (New-Object System.Security.Principal.SecurityIdentifier -ArgumentList $Rule.Sid),
        [System.Security.AccessControl.FileSystemRights]$Rule.Rights,
        [System.Security.AccessControl.InheritanceFlags]'ContainerInherit, ObjectInherit',
        [System.Security.AccessControl.PropagationFlags]::None,
        [System.Security.AccessControl.AccessControlType]::Allow)
}

function Test-ProtectedAcl {
    # True when the folder inherits nothing and its explicit rules are exactly these.
    param(
        [Parameter(Mandatory)][string] $Path,
        [Parameter(Mandatory)][object[]] $Rule
    )

    $acl = Get-Acl -LiteralPath $Path
    if (-not $acl.AreAccessRulesProtected) {
        return $false
    }
    $present = @($acl.GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier]) |
        ForEach-Object { "$($_.IdentityReference.Value)|$([int]$_.FileSystemRights)|$($_.InheritanceFlags)|$($_.AccessControlType)" } | Sort-Object)
    $wanted = @($Rule | ForEach-Object { New-ProtectedAccessRule -Rule $_ } |
        ForEach-Object { "$($_.IdentityReference.Value)|$([int]$_.FileSystemRights)|$($_.InheritanceFlags)|$($_.AccessControlType)" } | Sort-Object)
    ($present -join ';') -eq ($wanted -join ';')
}

function Set-ProtectedAcl {
    # Inheritance off (inherited entries dropped, not copied), every explicit entry replaced by $Rule.
    param(
        [Parameter(Mandatory)][string] $Path,
        [Parameter(Mandatory)][object[]] $Rule
    )

    $acl = Get-Acl -LiteralPath $Path
    $acl.SetAccessRuleProtection($true, $false)
    foreach ($existing in @($acl.GetAccessRules($true, $false, [System.Security.Principal.SecurityIdentifier]))) {
        $null = $acl.RemoveAccessRuleSpecific($existing)
    }
    foreach ($item in $Rule) {
        $acl.AddAccessRule((New-ProtectedAccessRule -Rule $item))
    }
    Set-Acl -LiteralPath $Path -AclObject $acl
}

function Grant-Access {
    param(
        [Parameter(Mandatory)][string] $Path,
        [Parameter(Mandatory)][string] $Account,
        [Parameter(Mandatory)][string] $Rights,
        [switch] $IsFolder
    )

    $acl = Get-Acl -LiteralPath $Path
    $acl.AddAccessRule((New-AgentAccessRule -Account $Account -Rights $Rights -IsFolder:$IsFolder))
    Set-Acl -LiteralPath $Path -AclObject $acl
}

function Revoke-Access {
    param(
        [Parameter(Mandatory)][string] $Path,
        [Parameter(Mandatory)][string] $Account,
        [Parameter(Mandatory)][string] $Rights,
        [switch] $IsFolder
    )

    $acl = Get-Acl -LiteralPath $Path
    $null = $acl.RemoveAccessRuleSpecific((New-AgentAccessRule -Account $Account -Rights $Rights -IsFolder:$IsFolder))
    Set-Acl -LiteralPath $Path -AclObject $acl
}

function New-InstallerSession {
    param(
        [Parameter(Mandatory)][string] $ComputerName,
        [pscredential] $Credential
    )

    $parameters = @{ ComputerName = $ComputerName }
    if ($Credential) {
        $parameters['Credential'] = $Credential
    }
    New-PSSession @parameters
}

function Remove-InstallerSession {
    param($Session)

    if ($null -ne $Session) {
        Remove-PSSession -Session $Session
    }
}

function Get-RemoteStagingPath {
    param(
        [Parameter(Mandatory)] $Session,
        [string] $Version
    )

    Invoke-Command -Session $Session -ScriptBlock {
        param($Name)
        Join-Path ([System.IO.Path]::GetTempPath()) $Name
    } -ArgumentList "ExchangeEncryptionAgent-$Version"
}

function Copy-PackageToSession {
    # What a server needs to run install.ps1 itself: the script, the module, the agent and the shipped policies.
    param(
        [Parameter(Mandatory)] $Session,
        [Parameter(Mandatory)][string] $PackageRoot,
        [Parameter(Mandatory)][string] $Destination
    )

    Invoke-Command -Session $Session -ScriptBlock {
        param($Path)
        if (Test-Path -LiteralPath $Path) { Remove-Item -LiteralPath $Path -Recurse -Force }
        $null = New-Item -ItemType Directory -Path $Path -Force
    } -ArgumentList $Destination
    foreach ($name in @('install.ps1', 'Installer', 'agent', $script:PolicyFolderName)) {
        Copy-Item -ToSession $Session -Path (Join-Path $PackageRoot $name) -Destination $Destination -Recurse -Force
    }
}

function Copy-PolicyToSession {
    # The policy and the files it names relative to itself, in the same places: returns the remote policy path.
    param(
        [Parameter(Mandatory)] $Session,
        [Parameter(Mandatory)][string] $PolicyPath,
        [Parameter(Mandatory)][string] $Destination
    )

    $source = Resolve-FullPath -Path $PolicyPath
    $folder = Split-Path -Parent $source
    $files = @($source) + @(Get-PolicyReference -Document (Read-PolicyDocument -Path $source) -PolicyPath $source | Where-Object { $_.IsRelative } | ForEach-Object { $_.SourcePath })
    foreach ($file in $files) {
        $relative = Get-PathBelow -Path $file -Folder $folder -Value $file
        $target = "$Destination\$($relative -replace '/', '\')"
        Invoke-Command -Session $Session -ScriptBlock { param($Path) $null = New-Item -ItemType Directory -Path (Split-Path -Parent $Path) -Force } -ArgumentList $target
        Copy-Item -ToSession $Session -Path $file -Destination $target -Force
    }
    "$Destination\$(Split-Path -Leaf $source)"
}

function Invoke-RemoteInstaller {
    param(
        [Parameter(Mandatory)] $Session,
        [Parameter(Mandatory)][string] $ScriptPath,
        [Parameter(Mandatory)][hashtable] $Parameters
    )

    Invoke-Command -Session $Session -ScriptBlock {
        param($Script, $Arguments)
        & $Script @Arguments
    } -ArgumentList $ScriptPath, $Parameters
}

#endregion

Export-ModuleMember -Function @(
    'Invoke-EncryptionAgentSetup',
    'Install-EncryptionAgent',
    'Update-EncryptionAgent',
    'Uninstall-EncryptionAgent',
    'Get-EncryptionAgentStatus',
    'Test-EncryptionPolicy'
)
