<#
.SYNOPSIS
    Installs, upgrades, removes or reports ExchangeEncryptionAgent, the S/MIME encryption routing agent, on Exchange
    Server 2016, 2019 and Subscription Edition transport servers.

.DESCRIPTION
    Run it from the extracted release package (ExchangeEncryptionAgent-<version>.zip) in the Exchange Management
    Shell, as an administrator. It works on this server by default, on the servers named with -Server, or on every
    Mailbox server with -AllTransportServers (one server at a time, through PowerShell remoting).

    Every step first looks at what is there and changes only what differs, so running it twice changes nothing the
    second time. -WhatIf shows every change without making it; -Confirm asks before each. The first error stops the
    run with a message saying what to do; servers not yet reached are not touched.

    Install, in an order that keeps mail flowing as long as possible:
      1. checks, before anything changes: administrator; the Exchange management tools, running on this server;
         the .NET Framework, 4.8 or later; the server's role (Mailbox or Edge, from Get-ExchangeServer); -Priority
         within range; the account's management roles for every Exchange cmdlet the run calls;
      2. reads the policy with the package's own agent assembly, before anything changes: it must be valid, every
         file it names must exist, and what it names relative to itself must be in its folder or below;
      3. copies the agent and its dependencies, the shipped policies and every certificate, key, password and CRL
         file and folder the policy names relative to itself; unblocks downloaded files;
      4. creates the event source ExchangeEncryptionAgent in the Application log;
      5. gives the transport service account (NETWORK SERVICE) read access to the policies and the key and password
         files the policy names, and modify access to the Logs folder only;
      6. activates the policy as <InstallPath>\Policies\policy.xml (the agent reloads it by itself);
      7. creates or updates the forced-TLS send connector when the policy has a forced-TLS address space;
      8. Install-TransportAgent, Enable-TransportAgent, Set-TransportAgent -Priority;
      9. restarts MSExchangeTransport once, and only when something it loads changed;
     10. checks the agent with Get-TransportAgent and prints the next steps.

    Upgrade keeps the policy, the keys and NLog.config; backs the installation up to <InstallPath>.previous; stops
    MSExchangeTransport only while it replaces the files; and puts the previous version back if the service or the
    agent does not come back. Uninstall undoes every step of Install and keeps the policies and logs unless
    -RemoveData. Status reports what is installed, as objects.

    docs/operations.md in the package explains roles, priorities, the forced-TLS connector, Microsoft 365 and
    troubleshooting by event ID.

.PARAMETER Action
    What to do: Install (the default), Upgrade, Uninstall or Status. Install completes an interrupted installation
    but refuses to replace another installed version (use Upgrade). Status changes nothing.

.PARAMETER InstallPath
    Where the agent lives on each server. Default: $env:ExchangeInstallPath\TransportRoles\agents\ExchangeEncryptionAgent,
    evaluated on each server. Must be a local absolute path (Install-TransportAgent accepts no network path). Use the
    same value for Upgrade and Uninstall as for Install.

.PARAMETER PolicyPath
    The policy to activate. Default: keep the policy already active on the server; on a first installation, the
    package's Policies\default.xml. The file is validated first, then copied to <InstallPath>\Policies\policy.xml,
    together with every file and folder it names relative to itself (certificates, keys, password files, CRLs,
    certificate and key folders), in the same places relative to it. What it names relative to itself must be in
    its folder or below, or nothing is changed. Files it names by absolute path stay where they are and must exist
    on every server.

.PARAMETER Priority
    The agent's position among the transport agents of the same service (the lowest runs first). Set-TransportAgent
    takes 0 up to the number of transport agents of that service (counting this one); any other value stops the run
    before anything changes. Default: keep the agent after the Transport Rule agent, which is where it must be so
    that mail flow rules (disclaimers, subject tags) change messages before they are encrypted; a new agent is
    installed last, which already is.

.PARAMETER TransportService
    Hub for Mailbox servers, or Edge for Edge Transport servers. Default: detected from the server's role
    (Get-ExchangeServer); a value that does not match the role stops the run before anything changes. The agent is
    a routing agent, which the FrontEnd transport service cannot run.

.PARAMETER Server
    The servers to work on, by name, one after the other. A server other than this one is reached through PowerShell
    remoting: the package is copied to its temporary folder and this same script runs there, with the Exchange
    cmdlets of that server's own Exchange PowerShell endpoint (see -Credential).

.PARAMETER AllTransportServers
    Work on every server Get-TransportService lists (the Mailbox servers), one after the other. Edge servers are not
    reached this way: run the script in the Exchange Management Shell of each of them.

.PARAMETER ForcedTlsConnectorName
    The name of the send connector for the policy's forced-TLS address space (Policy/Settings/ForcedTls/@AddressSpace).
    Default: "ExchangeEncryptionAgent Forced TLS". Install creates it, or brings it to: address space
    SMTP:<space>;1, RequireTLS, TlsAuthLevel DomainValidation, the policy's TlsDomain if any, DNS routing, and this
    server among its source servers. Uninstall takes this server off it and removes it with its last server.

.PARAMETER SkipForcedTlsConnector
    Leave the send connectors alone, for organisations that manage the forced-TLS connector themselves.

.PARAMETER RemoveData
    With Uninstall: also delete <InstallPath>\Policies (with the key files copied there) and <InstallPath>\Logs.
    Asks for confirmation unless -Confirm:$false. Key files the policy names by absolute path are never deleted.

.PARAMETER Credential
    The account for PowerShell remoting to the servers named with -Server or found with -AllTransportServers, and,
    on each of them, for that server's own Exchange PowerShell endpoint when the remoting session has no Exchange
    cmdlets (from inside a remoting session only an explicit credential can open it: Kerberos second hop).
    Default: the current user, for remoting only.

.PARAMETER ServiceTimeoutSeconds
    How long to wait for MSExchangeTransport to reach Running after a restart (30 to 3600, default 300). After it
    runs, the script also watches it for 30 seconds, because a transport service that cannot load its agents stops
    itself shortly after starting.

.EXAMPLE
    .\install.ps1

    Installs on this server with every default: the transport service of the server's role, the default install
    path, the package's default policy (or the one already active), automatic priority.

.EXAMPLE
    .\install.ps1 -Action Install -PolicyPath D:\eea\contoso-policy.xml -WhatIf

    Shows every change an installation with this policy would make, and makes none. The policy is validated all the same.

.EXAMPLE
    .\install.ps1 -Action Install -InstallPath 'D:\Agents\ExchangeEncryptionAgent' -Priority 8 -Confirm

    Installs into another folder, at priority 8, asking before each change.

.EXAMPLE
    .\install.ps1 -Action Install -TransportService Edge -PolicyPath .\Policies\examples\forced-tls.xml

    Installs on an Edge Transport server (run it on each Edge server, in its Exchange Management Shell); the role
    would be detected without -TransportService, which here states the intent and stops on a Mailbox server.

.EXAMPLE
    .\install.ps1 -Action Upgrade -AllTransportServers -ServiceTimeoutSeconds 600

    Upgrades every Mailbox server, one after the other, keeping each server's policy, keys and NLog.config, waiting
    up to ten minutes for the transport service on each.

.EXAMPLE
    .\install.ps1 -Action Install -Server EX01, EX02 -Credential (Get-Credential CONTOSO\exadmin)

    Installs on EX01 and then EX02 through PowerShell remoting with another account.

.EXAMPLE
    .\install.ps1 -Action Install -ForcedTlsConnectorName 'Partners forced TLS'

    Uses a connector with another name for the policy's forced-TLS address space.

.EXAMPLE
    .\install.ps1 -Action Install -SkipForcedTlsConnector

    Installs without creating or changing any send connector.

.EXAMPLE
    .\install.ps1 -Action Uninstall -RemoveData -Confirm:$false

    Removes the agent and deletes its policies and logs without asking.

.EXAMPLE
    .\install.ps1 -Action Status -AllTransportServers | Format-Table Server, Installed, Enabled, Priority, InstalledVersion, PolicyValid

    Reports every Mailbox server. Status returns objects; format or filter them as any other.

.INPUTS
    None.

.OUTPUTS
    One object per server: Server, Action, WhatIf, Changed, Changes, Version, InstallPath and PolicyPath for Install,
    Upgrade and Uninstall; Installed, Enabled, Priority, versions, service state, event source, policy and connector
    details for Status.

.NOTES
    Run in the Exchange Management Shell (Windows PowerShell 5.1), connected to this server, as an administrator
    who is a member of the Organization Management role group (on Edge Transport servers: a local administrator).
    Install-TransportAgent keeps the agent DLL open in the PowerShell process that ran it: close that
    window afterwards. The module behind this script is Installer\ExchangeEncryptionAgent.Installer.psd1; its
    Test-EncryptionPolicy validates a policy file with the agent's own assembly.

.LINK
    docs/operations.md
#>
#Requires -Version 5.1
[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'ThisServer')]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Install', 'Upgrade', 'Uninstall', 'Status')]
    [string] $Action = 'Install',

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
    [string] $ForcedTlsConnectorName = 'ExchangeEncryptionAgent Forced TLS',

    [switch] $SkipForcedTlsConnector,

    [switch] $RemoveData,

    [pscredential] $Credential,

    [ValidateRange(30, 3600)]
    [int] $ServiceTimeoutSeconds = 300
)

$ErrorActionPreference = 'Stop'
# The module that does the work ships beside this script; the package (agent\, Policies\) is this script's folder.
# A source tree has only its parts (Installer\Public, Installer\Private): New-ReleasePackage.ps1 builds the module.
$installerModule = Join-Path $PSScriptRoot 'Installer'
if (-not (Test-Path -LiteralPath (Join-Path $installerModule 'ExchangeEncryptionAgent.Installer.psm1') -PathType Leaf)) {
    throw "No Installer\ExchangeEncryptionAgent.Installer.psm1 beside install.ps1. Run install.ps1 from an extracted release package (ExchangeEncryptionAgent-<version>.zip); in a source tree, build one with Installer/New-ReleasePackage.ps1."
}
Import-Module -Name (Join-Path $installerModule 'ExchangeEncryptionAgent.Installer.psd1')
Invoke-EncryptionAgentSetup @PSBoundParameters -PackageRoot $PSScriptRoot
