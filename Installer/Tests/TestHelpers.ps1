<#
    Shared set-up for the installer's Pester tests. Dot-source it in BeforeAll:
        BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }
    then call Use-FakeExchange in BeforeEach. It mocks every outside call of the installer module onto the fake
    organisation in FakeExchangeServer.psm1; files stay real, in Pester's TestDrive.
#>
$script:InstallerModuleName = 'ExchangeEncryptionAgent.Installer'
$script:RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot (Join-Path '..' '..'))).Path
$script:PolicyNamespace = 'urn:exchange-encryption-agent:policy:v1'
$script:AgentName = 'ExchangeEncryptionAgent'
$script:FactoryTypeName = 'ExchangeEncryptionAgent.Exchange.EncryptionRoutingAgentFactory'
$script:ServiceAccount = 'NT AUTHORITY\NETWORK SERVICE'
$script:DefaultConnector = 'ExchangeEncryptionAgent Forced TLS'
$script:DefaultAddressSpace = 'forcetls.eea.invalid'

Import-Module (Join-Path $PSScriptRoot 'FakeExchangeServer.psm1') -Force
# The tests run against the module as it ships: the single .psm1 New-ReleasePackage.ps1 builds from Public/ and
# Private/. Invoke-InstallerTests.ps1 builds it once per run; a test file run on its own builds it here.
if (-not $env:EEA_INSTALLER_MODULE -or -not (Test-Path -LiteralPath $env:EEA_INSTALLER_MODULE -PathType Leaf)) {
    $built = Join-Path (Join-Path ([System.IO.Path]::GetTempPath()) "eea-installer-module-$PID") 'Installer'
    $env:EEA_INSTALLER_MODULE = (& (Join-Path (Join-Path $script:RepoRoot 'Installer') 'New-ReleasePackage.ps1') -ModuleOnly -OutputDirectory $built).FullName
}
$script:InstallerManifestPath = $env:EEA_INSTALLER_MODULE
$script:InstallerModulePath = [System.IO.Path]::ChangeExtension($script:InstallerManifestPath, '.psm1')
Import-Module $script:InstallerManifestPath -Force

# Outside commands the installer calls by their real names: each becomes a recorded call on the fake organisation.
$script:FakedCommands = @(
    'Get-TransportAgent', 'Install-TransportAgent', 'Enable-TransportAgent', 'Disable-TransportAgent', 'Set-TransportAgent', 'Uninstall-TransportAgent',
    'Get-SendConnector', 'New-SendConnector', 'Set-SendConnector', 'Remove-SendConnector', 'Get-TransportService', 'Get-ExchangeServer',
    'Get-ManagementRole', 'Get-ManagementRoleAssignment',
    'Get-Service', 'Start-Service', 'Stop-Service', 'Restart-Service', 'Connect-ExchangeEndpoint',
    'Register-AgentEventSource', 'Unregister-AgentEventSource', 'Grant-Access', 'Revoke-Access', 'Set-ProtectedAcl',
    'Copy-AgentFile', 'Remove-AgentItem', 'Unblock-AgentFile'
)

function Use-FakeExchange {
    # Fresh organisation, this process pretending to be the first server, and every boundary call mocked. With
    # -RealAgent the package's agent assembly is loaded and asked about the policy for real.
    param([string[]] $Servers = @('EX01'), [switch] $RealAgent)

    # A fresh folder per test: TestDrive lives as long as its Describe/Context block.
    $script:Root = (New-Item -ItemType Directory -Path (Join-Path $TestDrive ([guid]::NewGuid().ToString('N').Substring(0, 8)))).FullName
    Reset-FakeOrganisation -Root $script:Root -Servers $Servers
    Enter-FakeServer -Name $Servers[0]
    foreach ($command in $script:FakedCommands) {
        Mock -ModuleName $script:InstallerModuleName -CommandName $command -MockWith ([scriptblock]::Create("Invoke-FakeCommand -Command '$command' -Parameters `$PesterBoundParameters"))
    }
    $m = $script:InstallerModuleName
    Mock -ModuleName $m Start-Sleep { }
    Mock -ModuleName $m Write-Host { }
    Mock -ModuleName $m Test-IsAdministrator { (Get-FakeServer).IsAdmin }
    Mock -ModuleName $m Test-ExchangeManagementLoaded { (Get-FakeServer).SnapInLoaded }
    Mock -ModuleName $m Get-DotNetFrameworkRelease { (Get-FakeServer).DotNetRelease }
    Mock -ModuleName $m Get-LocalServerName { (Get-FakeOrganisation).Current }
    Mock -ModuleName $m Get-LocalServerFqdn { "$((Get-FakeOrganisation).Current).contoso.test" }
    Mock -ModuleName $m Get-CurrentUserName { (Get-FakeOrganisation).CurrentUser }
    Mock -ModuleName $m Test-ExchangeCommandAvailable { (Get-FakeOrganisation).RbacCmdletsVisible }
    Mock -ModuleName $m Get-ExchangeShellServer { (Get-FakeOrganisation).ShellServer }
    Mock -ModuleName $m Get-TransportServiceAccount { 'NT AUTHORITY\NETWORK SERVICE' }
    Mock -ModuleName $m Get-AgentVersion { Get-FakeAgentVersion -AssemblyPath $AssemblyPath }
    if (-not $RealAgent) {
        Mock -ModuleName $m Import-AgentAssembly { Invoke-FakeCommand -Command 'Import-AgentAssembly' -Parameters $PesterBoundParameters; [object].Assembly }
        Mock -ModuleName $m Invoke-PolicyInventory { Invoke-FakeCommand -Command 'Invoke-PolicyInventory' -Parameters @{ Path = $Path }; Get-FakePolicyInventory -Path $Path }
    }
    Mock -ModuleName $m Test-FileBlocked { (Get-FakeServer).Blocked.Contains($Path) }
    Mock -ModuleName $m Get-AgentEventSourceLog { (Get-FakeServer).EventSources[$Name] }
    Mock -ModuleName $m Test-ProtectedAcl { Test-FakeProtectedAcl -Path $Path -Rule $Rule }
    Mock -ModuleName $m Test-AccessGranted { Test-FakeGranted -Path $Path -Account $Account -Rights $Rights }
    Mock -ModuleName $m Test-AccessRulePresent { @((Get-FakeServer).Grants | Where-Object { $_.Path -eq $Path -and $_.Account -eq $Account -and $_.Rights -eq $Rights }).Count -gt 0 }
    Use-FakeRemoting
}

function Use-FakeRemoting {
    # A "remote" server runs in this process: the package is copied to its staging folder and the same entry point
    # runs there with the fake organisation switched to that server (its own install path, agents and service).
    $m = $script:InstallerModuleName
    Mock -ModuleName $m New-InstallerSession { Invoke-FakeCommand -Command 'New-InstallerSession' -Parameters $PesterBoundParameters; [pscustomobject]@{ ComputerName = $ComputerName } }
    Mock -ModuleName $m Remove-InstallerSession { Invoke-FakeCommand -Command 'Remove-InstallerSession' -Parameters @{ ComputerName = $Session.ComputerName } }
    Mock -ModuleName $m Get-RemoteStagingPath { Join-Path (Get-FakeServerRoot -Name $Session.ComputerName) "staging-$Version" }
    Mock -ModuleName $m Copy-PackageToSession {
        Invoke-FakeCommand -Command 'Copy-PackageToSession' -Parameters @{ ComputerName = $Session.ComputerName; PackageRoot = $PackageRoot; Destination = $Destination }
        $null = New-Item -ItemType Directory -Path $Destination -Force
        foreach ($name in @('install.ps1', 'Installer', 'agent', 'Policies')) {
            $source = Join-Path $PackageRoot $name
            if (Test-Path -LiteralPath $source) { Copy-Item -LiteralPath $source -Destination $Destination -Recurse -Force }
        }
    }
    Mock -ModuleName $m Copy-PolicyToSession {
        Invoke-FakeCommand -Command 'Copy-PolicyToSession' -Parameters @{ ComputerName = $Session.ComputerName; PolicyPath = $PolicyPath; Destination = $Destination }
        $null = New-Item -ItemType Directory -Path $Destination -Force
        Get-ChildItem -LiteralPath (Split-Path -Parent $PolicyPath) | Copy-Item -Destination $Destination -Recurse -Force
        Join-Path $Destination (Split-Path -Leaf $PolicyPath)
    }
    Mock -ModuleName $m Invoke-RemoteInstaller {
        Invoke-FakeCommand -Command 'Invoke-RemoteInstaller' -Parameters @{ ComputerName = $Session.ComputerName; ScriptPath = $ScriptPath; Parameters = $Parameters }
        $caller = (Get-FakeOrganisation).Current
        Enter-FakeServer -Name $Session.ComputerName
        (Get-FakeServer).InRemotingSession = $true
        try {
            # What install.ps1 does on the remote server.
            Invoke-EncryptionAgentSetup @Parameters -PackageRoot (Split-Path -Parent $ScriptPath)
        }
        finally {
            Enter-FakeServer -Name $caller
        }
    }
}

function Get-TestInstallPath {
    param([string] $Server = (Get-FakeOrganisation).Current)

    Join-Path (Join-Path (Join-Path (Join-Path (Get-FakeServerRoot -Name $Server) 'Exchange') 'TransportRoles') 'agents') $script:AgentName
}

function New-TestPackage {
    # A release package as New-ReleasePackage.ps1 lays it out, with small text files standing in for the DLLs.
    param(
        [string] $Version = '1.0.0',
        [string] $Path = (Join-Path $script:Root "package-$Version"),
        [string] $AgentContent = "version=$Version`nExchangeEncryptionAgent test build",
        [string[]] $ExtraDependency = @()
    )

    $agent = Join-Path $Path 'agent'
    $policies = Join-Path $Path 'Policies'
    $null = New-Item -ItemType Directory -Path $agent, (Join-Path $policies 'examples') -Force
    Set-Content -LiteralPath (Join-Path $agent 'ExchangeEncryptionAgent.dll') -Value $AgentContent
    foreach ($dependency in @('MimeKit', 'BouncyCastle.Cryptography', 'NLog') + $ExtraDependency) {
        Set-Content -LiteralPath (Join-Path $agent "$dependency.dll") -Value "$dependency for $Version"
    }
    Set-Content -LiteralPath (Join-Path $agent 'NLog.config') -Value '<nlog><!-- shipped --></nlog>'
    Set-Content -LiteralPath (Join-Path $policies 'policy.xsd') -Value "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'><!-- $Version --></xs:schema>"
    New-TestPolicy -Path (Join-Path $policies 'default.xml') -AddressSpace $script:DefaultAddressSpace
    New-TestPolicy -Path (Join-Path (Join-Path $policies 'examples') 'partner.xml') -AddressSpace $script:DefaultAddressSpace -KeyFile 'keys/partner.cer'
    $Path
}

function New-TestPolicy {
    # A policy in the agent's namespace; only what the installer reads is meaningful here.
    param(
        [Parameter(Mandatory)][string] $Path,
        [string] $AddressSpace,
        [string] $TlsDomain,
        [string[]] $KeyFile = @(),
        [string[]] $PfxFile = @(),
        [string[]] $PasswordFile = @(),
        [string] $RuleName = 'Encrypt to partners'
    )

    $forcedTls = ''
    if ($AddressSpace) {
        $tls = ''
        if ($TlsDomain) { $tls = " TlsDomain=""$TlsDomain""" }
        $forcedTls = "<ForcedTls AddressSpace=""$AddressSpace""$tls />"
    }
    $certificates = @()
    $certificates += @($KeyFile | ForEach-Object { "<Certificate KeyFile=""$_"" />" })
    $certificates += @($PfxFile | ForEach-Object { "<Certificate PfxFile=""$_"" />" })
    $certificates += @($PasswordFile | ForEach-Object { "<Certificate PasswordFile=""$_"" />" })
    $xml = @"
<?xml version="1.0" encoding="utf-8"?>
<Policy xmlns="$script:PolicyNamespace">
  <Settings>$forcedTls</Settings>
  <Certificates>$($certificates -join '')</Certificates>
  <Rules><Rule Name="$RuleName" Priority="0" /></Rules>
</Policy>
"@
    $null = New-Item -ItemType Directory -Path (Split-Path -Parent $Path) -Force
    Set-Content -LiteralPath $Path -Value $xml
}

function New-TestFile {
    param([Parameter(Mandatory)][string] $Path, [string] $Value = 'secret material')

    $null = New-Item -ItemType Directory -Path (Split-Path -Parent $Path) -Force
    Set-Content -LiteralPath $Path -Value $Value
    $Path
}

function Invoke-TestSetup {
    # The installer's entry point with the test package; -Confirm:$false keeps ConfirmImpact High steps quiet.
    param(
        [string] $Action = 'Install',
        [string] $PackageRoot = $script:TestPackage,
        [hashtable] $With = @{}
    )

    Invoke-EncryptionAgentSetup -Action $Action -PackageRoot $PackageRoot -Confirm:$false @With
}

function Get-CallName {
    # The commands called, in order (optionally only those that change something, or on one server).
    param([switch] $Mutating, [string] $Server)

    @(Get-FakeCall -Mutating:$Mutating -Server $Server | ForEach-Object { $_.Command })
}

function Get-FirstCallIndex {
    param([string[]] $Names, [Parameter(Mandatory)][string] $Command)

    [array]::IndexOf($Names, $Command)
}

function Get-LastCallIndex {
    param([string[]] $Names, [Parameter(Mandatory)][string] $Command)

    [array]::LastIndexOf($Names, $Command)
}

function Get-CallIndex {
    # Position of the first (or -Last) recorded call matching $Where ($_ is the call), -1 when none does.
    param([Parameter(Mandatory)][scriptblock] $Where, [switch] $Last)

    $calls = Get-FakeCall
    $indexes = @(for ($i = 0; $i -lt $calls.Count; $i++) { if ($calls[$i] | Where-Object $Where) { $i } })
    if ($indexes.Count -eq 0) { return -1 }
    if ($Last) { return $indexes[-1] }
    $indexes[0]
}

function Get-CallParameter {
    # The parameters of every call to one command, in order.
    param([Parameter(Mandatory)][string] $Command, [string] $Server)

    # Callers wrap it in @() so that a single call stays an array, not a hashtable.
    @(Get-FakeCall -Server $Server | Where-Object { $_.Command -eq $Command } | ForEach-Object { $_.Parameters })
}

function Get-FileText {
    param([Parameter(Mandatory)][string] $Path)

    (Get-Content -LiteralPath $Path -Raw).Trim()
}
