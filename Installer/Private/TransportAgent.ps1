# Steps: the transport agent registration and the transport service.

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
