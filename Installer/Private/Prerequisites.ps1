# Checks made before anything changes: administrator, Exchange tools, .NET, permissions.

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
