# The paths and facts one server's run works with, resolved once.

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
