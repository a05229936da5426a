<#
    A fake Exchange organisation for the installer's Pester tests: transport servers with their agents, transport
    service and event sources, file ACLs, and the organisation's send connectors. The installer module's outside
    calls are mocked onto Invoke-FakeCommand, which records each call (server, command, parameters) in order and
    then behaves as Exchange does where it matters:
      * Install-TransportAgent needs an absolute path to an existing DLL and a new name; new agents are disabled
        and last; priorities renumber as Set-TransportAgent / Uninstall-TransportAgent move agents;
      * the transport service does not stay running when an enabled agent's DLL is one built to fail
        (content "fails-to-start"), which is how upgrade rollback is exercised;
      * access granted on a folder is inherited below it.
    Files are real (Pester's TestDrive); only the Windows-only parts around them (ACL, Zone.Identifier) are faked.
#>
Set-StrictMode -Version 3.0

$script:Org = $null
$script:PolicyNamespace = 'urn:exchange-encryption-agent:policy:v1'

# The commands that change something. A second run that is a no-op calls none of these.
$script:MutatingCommands = @(
    'Install-TransportAgent', 'Enable-TransportAgent', 'Disable-TransportAgent', 'Set-TransportAgent', 'Uninstall-TransportAgent',
    'New-SendConnector', 'Set-SendConnector', 'Remove-SendConnector',
    'Restart-Service', 'Start-Service', 'Stop-Service',
    'Register-AgentEventSource', 'Unregister-AgentEventSource',
    'Grant-Access', 'Revoke-Access', 'Set-ProtectedAcl',
    'Copy-AgentFile', 'Remove-AgentItem', 'Unblock-AgentFile'
)

function Reset-FakeOrganisation {
    # $Root: a folder of the test's own (TestDrive); each server gets $Root/<name>/Exchange as ExchangeInstallPath.
    param(
        [Parameter(Mandatory)][string] $Root,
        [string[]] $Servers = @('EX01')
    )

    $script:Org = @{
        Root       = $Root
        InvalidPolicyPattern = 'INVALID-RULE'
        Servers    = @{}
        Current    = $Servers[0]
        Connectors = New-Object System.Collections.Generic.List[object]
        # Run right after Get-SendConnector answers: what another server's installation does meanwhile.
        AfterGetSendConnector = $null
        Calls      = New-Object System.Collections.Generic.List[object]
        Order      = $Servers
        # RBAC. The role names stand in for Exchange's; the installer finds roles by cmdlet, never by name.
        Roles      = @{
            'Transport Agents' = @('Get-TransportAgent', 'Install-TransportAgent', 'Enable-TransportAgent', 'Disable-TransportAgent', 'Set-TransportAgent', 'Uninstall-TransportAgent')
            'Send Connectors'  = @('Get-SendConnector', 'New-SendConnector', 'Set-SendConnector', 'Remove-SendConnector')
        }
        CurrentUser = 'CONTOSO\exadmin'
        # Per account: its role assignments (direct or through role groups); Servers limits a scoped assignment.
        Assignments = @{ 'CONTOSO\exadmin' = @(@{ Role = 'Transport Agents'; Servers = $null }, @{ Role = 'Send Connectors'; Servers = $null }) }
        RbacCmdletsVisible = $true
        # The server the Exchange Management Shell is connected to; $null: the cmdlets run in this process.
        ShellServer = $null
    }
    foreach ($name in $Servers) {
        $script:Org.Servers[$name] = New-FakeServer -Name $name
    }
}

function New-FakeServer {
    param([string] $Name)

    $agents = New-Object System.Collections.Generic.List[object]
    foreach ($builtIn in @('Transport Rule Agent', 'Malware Agent', 'Text Messaging Routing Agent', 'Text Messaging Delivery Agent', 'System Probe Drop Smtp Agent', 'System Probe Drop Routing Agent')) {
        $agents.Add((New-FakeAgent -Name $builtIn -Factory "Microsoft.Exchange.$($builtIn -replace ' ', '')Factory" -AssemblyPath "C:\Program Files\Microsoft\Exchange Server\V15\Bin\$($builtIn -replace ' ', '').dll" -Enabled $true))
    }
    Update-FakePriority -Agents $agents
    @{
        Name          = $Name
        # What Get-ExchangeServer reports: Mailbox or Edge.
        Role          = 'Mailbox'
        Agents        = $agents
        ServiceStatus = 'Running'
        EventSources  = @{}
        Grants        = New-Object System.Collections.Generic.List[object]
        ProtectedAcls = @{}
        Blocked       = New-Object 'System.Collections.Generic.HashSet[string]'
        IsAdmin       = $true
        DotNetRelease = 528040
        # Whether the Exchange cmdlets are loaded in the session; whether this server's Exchange PowerShell endpoint
        # fails; whether the run is inside a remoting session (a second hop for the endpoint).
        SnapInLoaded  = $true
        SnapInMissing = $false
        InRemotingSession = $false
    }
}

function New-FakeAgent {
    param([string] $Name, [string] $Factory, [string] $AssemblyPath, [bool] $Enabled)

    [pscustomobject]@{ Identity = $Name; Enabled = $Enabled; Priority = 0; TransportAgentFactory = $Factory; AssemblyPath = $AssemblyPath }
}

function Update-FakePriority {
    param($Agents)

    for ($i = 0; $i -lt $Agents.Count; $i++) {
        $Agents[$i].Priority = $i + 1
    }
}

function Get-FakeServer {
    param([string] $Name = $script:Org.Current)

    $script:Org.Servers[$Name]
}

function Set-FakeCurrentServer {
    param([Parameter(Mandatory)][string] $Name)

    if (-not $script:Org.Servers.ContainsKey($Name)) {
        $script:Org.Servers[$Name] = New-FakeServer -Name $Name
    }
    $script:Org.Current = $Name
}

function Get-FakeOrganisation { $script:Org }

function Enter-FakeServer {
    # From now on this process is server $Name: its agents, its service and its own Exchange folder (so the
    # installer's default install path is that server's).
    param([Parameter(Mandatory)][string] $Name)

    Set-FakeCurrentServer -Name $Name
    $exchange = Join-Path (Get-FakeServerRoot -Name $Name) 'Exchange'
    $null = New-Item -ItemType Directory -Path $exchange -Force
    $env:ExchangeInstallPath = $exchange
}

function Get-FakeServerRoot {
    param([Parameter(Mandatory)][string] $Name)

    Join-Path $script:Org.Root $Name
}

function Get-FakeAgentVersion {
    # Test "DLLs" are text files that say their version.
    param([string] $AssemblyPath)

    if (-not $AssemblyPath -or -not (Test-Path -LiteralPath $AssemblyPath -PathType Leaf)) { return $null }
    $match = [regex]::Match((Get-Content -LiteralPath $AssemblyPath -Raw), 'version=(\S+)')
    if ($match.Success) { return $match.Groups[1].Value }
    $null
}

function Get-FakePolicyError {
    # The fake validator (PolicyInventory.Read's Errors): not well-formed XML, the wrong namespace, or text the validator is told to
    # reject (InvalidPolicyPattern: a rule a stricter new version no longer accepts, for instance).
    param([string] $Path)

    try {
        [xml]$document = Get-Content -LiteralPath $Path -Raw
    }
    catch {
        return @("${Path}:1:1: rule '': not well-formed XML")
    }
    if ($document.DocumentElement.NamespaceURI -ne $script:PolicyNamespace) {
        return @("${Path}:2:2: rule '': the root element must be Policy in $script:PolicyNamespace")
    }
    $pattern = $script:Org.InvalidPolicyPattern
    if ($pattern -and (Get-Content -LiteralPath $Path -Raw) -match $pattern) {
        return @("${Path}:4:9: rule '$pattern': this rule is not valid")
    }
    @()
}

function Get-FakePolicyInventory {
    # The fake PolicyInventory.Read: the fake validator's errors and, for a policy that loads, what it names (files:
    # CertificateFile, KeyFile, PfxFile, PasswordFile and File/@Path; folders: Folder/@Path and Harvesting/@Folder;
    # writable: Harvesting/@Folder when Enabled="true") resolved against its folder, and its forced-TLS settings.
    param([string] $Path)

    $inventory = [pscustomobject]@{ PolicyPath = $Path; Errors = @(Get-FakePolicyError -Path $Path); Files = @(); Folders = @(); AbsolutePaths = @(); WritableFolders = @(); ForcedTlsAddressSpace = $null; ForcedTlsDomain = $null }
    if ($inventory.Errors.Count -gt 0) {
        return $inventory
    }
    [xml]$document = Get-Content -LiteralPath $Path -Raw
    $folder = Split-Path -Parent $Path
    $named = @{ Files = New-Object System.Collections.Generic.List[string]; Folders = New-Object System.Collections.Generic.List[string] }
    foreach ($attribute in @($document.SelectNodes('//@*'))) {
        $owner = $attribute.OwnerElement.LocalName
        $list = $null
        if (@('CertificateFile', 'KeyFile', 'PfxFile', 'PasswordFile') -contains $attribute.LocalName -or ($owner -eq 'File' -and $attribute.LocalName -eq 'Path')) { $list = 'Files' }
        elseif (($owner -eq 'Folder' -and $attribute.LocalName -eq 'Path') -or ($owner -eq 'Harvesting' -and $attribute.LocalName -eq 'Folder')) { $list = 'Folders' }
        if (-not $list) { continue }
        $value = $attribute.Value.Trim()
        $full = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($folder, $value))
        if ($named[$list].Contains($full)) { continue }
        $named[$list].Add($full)
        if ([System.IO.Path]::IsPathRooted($value)) { $inventory.AbsolutePaths += $full }
        if ($owner -eq 'Harvesting' -and $attribute.OwnerElement.GetAttribute('Enabled') -eq 'true') { $inventory.WritableFolders += $full }
    }
    $inventory.Files = $named.Files.ToArray()
    $inventory.Folders = $named.Folders.ToArray()
    $forcedTls = @($document.SelectNodes("//*[local-name()='ForcedTls']"))
    if ($forcedTls.Count -gt 0 -and $forcedTls[0].GetAttribute('AddressSpace')) {
        $inventory.ForcedTlsAddressSpace = $forcedTls[0].GetAttribute('AddressSpace')
        if ($forcedTls[0].GetAttribute('TlsDomain')) { $inventory.ForcedTlsDomain = $forcedTls[0].GetAttribute('TlsDomain') }
    }
    $inventory
}

function Get-FakeCall {
    # The recorded calls in order; -Mutating keeps only those that change something.
    param([switch] $Mutating, [string] $Server)

    $calls = $script:Org.Calls.ToArray()
    if ($Mutating) {
        $calls = @($calls | Where-Object { $script:MutatingCommands -contains $_.Command })
    }
    if ($Server) {
        $calls = @($calls | Where-Object { $_.Server -eq $Server })
    }
    $calls
}

function Clear-FakeCall { $script:Org.Calls.Clear() }

function Get-FakeAgent {
    param([string] $Name, [string] $Server = $script:Org.Current)

    @((Get-FakeServer $Server).Agents | Where-Object { $_.Identity -eq $Name }) | Select-Object -First 1
}

function Get-FakeConnector {
    param([string] $Name)

    @($script:Org.Connectors | Where-Object { $_.Name -eq $Name }) | Select-Object -First 1
}

function Add-FakeConnector {
    # An existing connector, as another server's installation (or an administrator) left it. -Omit drops properties
    # from the object, as a deserialized copy or another Exchange build may lack what Microsoft does not document.
    param([string] $Name, [string] $AddressSpace, [string[]] $SourceTransportServers, [bool] $RequireTLS = $true, [string] $TlsAuthLevel = 'DomainValidation', [string] $TlsDomain, [bool] $Enabled = $true, [bool] $IgnoreSTARTTLS = $false, [string[]] $Omit = @(), [switch] $Deserialized)

    $connector = New-FakeConnectorObject -Name $Name -AddressSpaces "SMTP:$AddressSpace;1" -RequireTLS $RequireTLS -TlsAuthLevel $TlsAuthLevel -TlsDomain $TlsDomain -DNSRoutingEnabled $true -Enabled $Enabled -IgnoreSTARTTLS $IgnoreSTARTTLS -SourceTransportServers $SourceTransportServers
    foreach ($property in $Omit) {
        $connector.PSObject.Properties.Remove($property)
    }
    if ($Deserialized) {
        # What a remote session hands back: address spaces and server names as plain strings.
        $connector.AddressSpaces = @("SMTP:$AddressSpace;1")
        $connector.SourceTransportServers = @($SourceTransportServers)
    }
    $script:Org.Connectors.Add($connector)
}

function New-FakeConnectorObject {
    param([string] $Name, $AddressSpaces, [bool] $RequireTLS, [string] $TlsAuthLevel, [string] $TlsDomain, [bool] $DNSRoutingEnabled, [bool] $Enabled = $true, [bool] $IgnoreSTARTTLS = $false, [string[]] $SourceTransportServers)

    [pscustomobject]@{
        Name                   = $Name
        Identity               = $Name
        AddressSpaces          = @(@($AddressSpaces) | ForEach-Object { ConvertTo-FakeAddressSpace $_ })
        RequireTLS             = $RequireTLS
        TlsAuthLevel           = $TlsAuthLevel
        TlsDomain              = $TlsDomain
        DNSRoutingEnabled      = $DNSRoutingEnabled
        Enabled                = $Enabled
        IgnoreSTARTTLS         = $IgnoreSTARTTLS
        # ADObjectId-like: objects with a Name.
        SourceTransportServers = @($SourceTransportServers | ForEach-Object { [pscustomobject]@{ Name = $_ } })
    }
}

function ConvertTo-FakeAddressSpace {
    param([string] $Text)

    if ($Text -notmatch '^(?<type>[^:]+):(?<address>[^;]+);(?<cost>\d+)$') {
        throw "Fake Exchange: '$Text' is not an address space of the form TYPE:address;cost."
    }
    [pscustomobject]@{ Type = $Matches.type; Address = $Matches.address; Cost = [int]$Matches.cost }
}

function Test-FakeGranted {
    param([string] $Path, [string] $Account, [string] $Rights, [string] $Server = $script:Org.Current)

    foreach ($grant in (Get-FakeServer $Server).Grants) {
        $covers = $grant.Path -eq $Path -or ($grant.IsFolder -and $Path.StartsWith($grant.Path.TrimEnd('/', '\') + [System.IO.Path]::DirectorySeparatorChar))
        $enough = $grant.Rights -eq $Rights -or $grant.Rights -eq 'Modify'
        if ($covers -and $enough -and $grant.Account -eq $Account) {
            return $true
        }
    }
    $false
}

function Test-FakeProtectedAcl {
    # The fake's Get-Acl: protected with exactly these rules only after Set-ProtectedAcl gave them.
    param([string] $Path, [object[]] $Rule)

    $server = Get-FakeServer
    $server.ProtectedAcls.ContainsKey($Path) -and $server.ProtectedAcls[$Path] -eq ((@($Rule | ForEach-Object { "$($_.Sid) $($_.Rights)" })) -join ', ')
}

function Invoke-FakeCommand {
    # Records the call, then plays Exchange's part. Parameters arrive as the mock's bound parameters.
    param(
        [Parameter(Mandatory)][string] $Command,
        [System.Collections.IDictionary] $Parameters = @{}
    )

    $copy = @{}
    foreach ($key in $Parameters.Keys) {
        $copy[$key] = $Parameters[$key]
    }
    $script:Org.Calls.Add([pscustomobject]@{ Server = $script:Org.Current; Command = $Command; Parameters = $copy })
    $server = Get-FakeServer
    Assert-FakeParameterValid -Server $server -Command $Command -Parameters $copy
    switch ($Command) {
        'Get-ManagementRole' {
            return @($script:Org.Roles.Keys | Where-Object { $script:Org.Roles[$_] -contains $copy.Cmdlet } | Sort-Object | ForEach-Object { [pscustomobject]@{ Name = $_ } })
        }
        'Get-ManagementRoleAssignment' {
            $held = @($script:Org.Assignments[[string]$copy.RoleAssignee])
            return @($held | Where-Object {
                    $_ -and $_.Role -eq [string]$copy.Role -and
                    (-not $copy.ContainsKey('WritableServer') -or $null -eq $_.Servers -or $_.Servers -contains [string]$copy.WritableServer)
                } | ForEach-Object { [pscustomobject]@{ Role = $_.Role; RoleAssigneeName = 'Organization Management'; Enabled = $true } })
        }
        'Get-ExchangeServer' {
            $target = $script:Org.Servers[($copy.Identity -split '\.')[0]]
            if ($null -eq $target) { throw "Fake Exchange: the server '$($copy.Identity)' was not found." }
            $info = [pscustomobject]@{ Name = $target.Name; ServerRole = $target.Role; IsEdgeServer = $target.Role -eq 'Edge'; IsMailboxServer = $target.Role -eq 'Mailbox' }
            foreach ($property in @($target['OmitServerProperties'])) { if ($property) { $info.PSObject.Properties.Remove($property) } }
            return $info
        }
        'Get-TransportAgent' { return $server.Agents.ToArray() }
        'Install-TransportAgent' { return Install-FakeAgent -Server $server -Parameters $copy }
        'Enable-TransportAgent' { (Find-FakeAgent -Server $server -Identity $copy.Identity).Enabled = $true; return }
        'Disable-TransportAgent' { (Find-FakeAgent -Server $server -Identity $copy.Identity).Enabled = $false; return }
        'Set-TransportAgent' { Move-FakeAgent -Server $server -Identity $copy.Identity -Priority $copy.Priority; return }
        'Uninstall-TransportAgent' { $null = $server.Agents.Remove((Find-FakeAgent -Server $server -Identity $copy.Identity)); Update-FakePriority -Agents $server.Agents; return }
        'Get-SendConnector' {
            # A snapshot, as the real cmdlet returns: later changes by others do not show in it.
            $snapshot = @($script:Org.Connectors | ForEach-Object { $_.PSObject.Copy() })
            if ($script:Org.AfterGetSendConnector) { & $script:Org.AfterGetSendConnector }
            return $snapshot
        }
        'New-SendConnector' { return New-FakeSendConnector -Parameters $copy }
        'Set-SendConnector' { Set-FakeSendConnector -Parameters $copy; return }
        'Remove-SendConnector' { $null = $script:Org.Connectors.Remove((Get-FakeConnector -Name $copy.Identity)); return }
        'Get-TransportService' { return @($script:Org.Order | Where-Object { $script:Org.Servers[$_].Role -ne 'Edge' } | ForEach-Object { [pscustomobject]@{ Name = $_; Identity = $_ } }) }
        'Get-Service' {
            # A service whose agent factory fails reports Running once, then stops itself.
            $status = $server.ServiceStatus
            if ($status -eq 'Crashing') { $status = 'Running'; $server.ServiceStatus = 'Stopped' }
            return [pscustomobject]@{ Name = $copy.Name; Status = $status }
        }
        'Stop-Service' { $server.ServiceStatus = 'Stopped'; return }
        'Start-Service' { $server.ServiceStatus = Get-FakeServiceOutcome -Server $server; return }
        'Restart-Service' { $server.ServiceStatus = Get-FakeServiceOutcome -Server $server; return }
        'Connect-ExchangeEndpoint' {
            # A plain remoting session cannot hand the caller's logon on to the endpoint; an explicit credential can.
            if ($server.SnapInMissing) { throw 'Connecting to remote server failed: the WinRM client cannot process the request.' }
            if ($server.InRemotingSession -and $null -eq $copy['Credential']) { throw 'Connecting to remote server failed with the following error message: Access is denied.' }
            $server.SnapInLoaded = $true
            return
        }
        'Register-AgentEventSource' { $server.EventSources[$copy.Name] = $copy.LogName; return }
        'Unregister-AgentEventSource' { $server.EventSources.Remove($copy.Name); return }
        'Grant-Access' { $server.Grants.Add([pscustomobject]@{ Path = $copy.Path; Account = $copy.Account; Rights = $copy.Rights; IsFolder = [bool]$copy['IsFolder'] }); return }
        'Set-ProtectedAcl' { $server.ProtectedAcls[$copy.Path] = @($copy.Rule | ForEach-Object { "$($_.Sid) $($_.Rights)" }) -join ', '; return }
        'Revoke-Access' {
            foreach ($grant in @($server.Grants | Where-Object { $_.Path -eq $copy.Path -and $_.Account -eq $copy.Account -and $_.Rights -eq $copy.Rights })) { $null = $server.Grants.Remove($grant) }
            return
        }
        'Unblock-AgentFile' { $null = $server.Blocked.Remove($copy.Path); return }
        'Copy-AgentFile' {
            $folder = Split-Path -Parent $copy.Destination
            if (-not (Test-Path -LiteralPath $folder)) { $null = New-Item -ItemType Directory -Path $folder -Force }
            Copy-Item -LiteralPath $copy.Source -Destination $copy.Destination -Force
            # A copy of a downloaded file keeps its Zone.Identifier mark.
            if ($server.Blocked.Contains($copy.Source)) { $null = $server.Blocked.Add($copy.Destination) }
            return
        }
        'Remove-AgentItem' {
            Remove-Item -LiteralPath $copy.Path -Recurse -Force
            # A deleted file or folder takes its access rules with it.
            $below = $copy.Path.TrimEnd('/', '\') + [System.IO.Path]::DirectorySeparatorChar
            foreach ($grant in @($server.Grants | Where-Object { $_.Path -eq $copy.Path -or $_.Path.StartsWith($below) })) { $null = $server.Grants.Remove($grant) }
            return
        }
        default { return }
    }
}

function Assert-FakeParameterValid {
    # What Microsoft's cmdlet reference says a server of this role accepts. *-TransportAgent -TransportService: Hub
    # (and the other Mailbox-server services) on Mailbox servers, Edge on Edge Transport servers; DomainController is
    # not supported on Edge Transport servers; SourceTransportServers is not valid for send connectors on an Edge server.
    param($Server, [string] $Command, [hashtable] $Parameters)

    if ($Command -like '*-TransportAgent' -and $Parameters.ContainsKey('TransportService')) {
        $valid = @('Hub', 'FrontEnd', 'MailboxSubmission', 'MailboxDelivery')
        if ($Server.Role -eq 'Edge') { $valid = @('Edge') }
        if ($valid -notcontains [string]$Parameters.TransportService) {
            throw "Fake Exchange: -TransportService $($Parameters.TransportService) is not valid on $($Server.Name), a $($Server.Role) server."
        }
    }
    if ($Server.Role -eq 'Edge' -and $Parameters.ContainsKey('DomainController')) {
        throw "Fake Exchange: the DomainController parameter isn't supported on Edge Transport servers ($Command)."
    }
    if ($Server.Role -eq 'Edge' -and $Command -like '*-SendConnector' -and $Parameters.ContainsKey('SourceTransportServers')) {
        throw "Fake Exchange: SourceTransportServers isn't valid for send connectors on an Edge server ($Command)."
    }
}

function Find-FakeAgent {
    param($Server, [string] $Identity)

    $agent = @($Server.Agents | Where-Object { $_.Identity -eq $Identity }) | Select-Object -First 1
    if ($null -eq $agent) {
        throw "Fake Exchange: the transport agent '$Identity' was not found on $($Server.Name)."
    }
    $agent
}

function Install-FakeAgent {
    param($Server, [hashtable] $Parameters)

    if (@($Server.Agents | Where-Object { $_.Identity -eq $Parameters.Name }).Count -gt 0) {
        throw "Fake Exchange: a transport agent named '$($Parameters.Name)' already exists."
    }
    if (-not [System.IO.Path]::IsPathRooted($Parameters.AssemblyPath) -or -not (Test-Path -LiteralPath $Parameters.AssemblyPath -PathType Leaf)) {
        throw "Fake Exchange: AssemblyPath '$($Parameters.AssemblyPath)' must be an absolute path to an existing file."
    }
    $agent = New-FakeAgent -Name $Parameters.Name -Factory $Parameters.TransportAgentFactory -AssemblyPath $Parameters.AssemblyPath -Enabled $false
    $Server.Agents.Add($agent)
    Update-FakePriority -Agents $Server.Agents
    $agent
}

function Move-FakeAgent {
    param($Server, [string] $Identity, [int] $Priority)

    $agent = Find-FakeAgent -Server $Server -Identity $Identity
    # Microsoft: "The priority must be a value between 0 and the maximum number of transport agents." Out of range is
    # an error, as with the real cmdlet; nothing is clamped.
    if ($Priority -lt 0 -or $Priority -gt $Server.Agents.Count) {
        throw "Fake Exchange: the priority must be a value between 0 and $($Server.Agents.Count) (the number of transport agents); $Priority is not."
    }
    $null = $Server.Agents.Remove($agent)
    $index = [Math]::Max($Priority - 1, 0)
    $Server.Agents.Insert($index, $agent)
    Update-FakePriority -Agents $Server.Agents
}

function New-FakeSendConnector {
    param([hashtable] $Parameters)

    if ($null -ne (Get-FakeConnector -Name $Parameters.Name)) {
        throw "Fake Exchange: a send connector named '$($Parameters.Name)' already exists."
    }
    if ($Parameters['SourceTransportServers'] -is [System.Collections.IDictionary]) {
        throw 'Fake Exchange: New-SendConnector takes a list of source servers, not the add/remove form.'
    }
    # Documented defaults: Enabled $true, IgnoreSTARTTLS $false.
    $enabled = $true
    if ($Parameters.ContainsKey('Enabled')) { $enabled = [bool]$Parameters['Enabled'] }
    $connector = New-FakeConnectorObject -Name $Parameters.Name -AddressSpaces $Parameters.AddressSpaces -RequireTLS ([bool]$Parameters['RequireTLS']) -TlsAuthLevel $Parameters['TlsAuthLevel'] -TlsDomain $Parameters['TlsDomain'] -DNSRoutingEnabled ([bool]$Parameters['DNSRoutingEnabled']) -Enabled $enabled -IgnoreSTARTTLS ([bool]$Parameters['IgnoreSTARTTLS']) -SourceTransportServers $Parameters['SourceTransportServers']
    $script:Org.Connectors.Add($connector)
    $connector
}

function Set-FakeSendConnector {
    param([hashtable] $Parameters)

    $connector = Get-FakeConnector -Name $Parameters.Identity
    if ($null -eq $connector) {
        throw "Fake Exchange: the send connector '$($Parameters.Identity)' was not found."
    }
    foreach ($key in @($Parameters.Keys | Where-Object { $_ -notin @('Identity', 'Confirm', 'WhatIf') })) {
        switch ($key) {
            'AddressSpaces' { $connector.AddressSpaces = @(@($Parameters[$key]) | ForEach-Object { ConvertTo-FakeAddressSpace $_ }) }
            'SourceTransportServers' { $connector.SourceTransportServers = @(Get-FakeMultiValue -Current @($connector.SourceTransportServers | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Name } }) -Value $Parameters[$key] | ForEach-Object { [pscustomobject]@{ Name = $_ } }) }
            default { $connector | Add-Member -NotePropertyName $key -NotePropertyValue $Parameters[$key] -Force }
        }
    }
}

function Get-FakeMultiValue {
    # A multi-valued property as Exchange's Set-* cmdlets take it: a list replaces the values, @{Add=...; Remove=...}
    # changes only those, leaving values someone else added meanwhile.
    param([string[]] $Current, $Value)

    if ($Value -isnot [System.Collections.IDictionary]) {
        return @($Value)
    }
    foreach ($key in $Value.Keys) {
        if (@('Add', 'Remove') -notcontains $key) { throw "Fake Exchange: '$key' is not Add or Remove." }
    }
    $result = @($Current | Where-Object { $_ })
    foreach ($item in @($Value['Add'] | Where-Object { $_ })) { if ($result -notcontains $item) { $result += $item } }
    $removed = @($Value['Remove'] | Where-Object { $_ })
    , @($result | Where-Object { $removed -notcontains $_ })
}

function Get-FakeServiceOutcome {
    # EdgeTransport.exe stops itself when an agent factory cannot be created.
    param($Server)

    foreach ($agent in @($Server.Agents | Where-Object { $_.Enabled })) {
        if ((Test-Path -LiteralPath $agent.AssemblyPath -PathType Leaf) -and (Get-Content -LiteralPath $agent.AssemblyPath -Raw) -match 'fails-to-start') {
            return 'Crashing'
        }
    }
    'Running'
}

#region Stand-ins for commands that do not exist on Linux, with the real commands' parameters (the tests mock them)

function Get-TransportAgent { [CmdletBinding()] param([Parameter(Position = 0)] $Identity, $TransportService, $DomainController) throw 'not mocked' }
function Install-TransportAgent { [CmdletBinding(SupportsShouldProcess)] param([Parameter(Mandatory, Position = 0)][string] $Name, [Parameter(Mandatory)][string] $TransportAgentFactory, [Parameter(Mandatory)][string] $AssemblyPath, [ValidateSet('Hub', 'Edge', 'FrontEnd')] $TransportService, $DomainController) throw 'not mocked' }
function Enable-TransportAgent { [CmdletBinding(SupportsShouldProcess)] param([Parameter(Mandatory, Position = 0)] $Identity, [ValidateSet('Hub', 'Edge', 'FrontEnd')] $TransportService, $DomainController) throw 'not mocked' }
function Disable-TransportAgent { [CmdletBinding(SupportsShouldProcess)] param([Parameter(Mandatory, Position = 0)] $Identity, [ValidateSet('Hub', 'Edge', 'FrontEnd')] $TransportService, $DomainController) throw 'not mocked' }
function Set-TransportAgent { [CmdletBinding(SupportsShouldProcess)] param([Parameter(Mandatory, Position = 0)] $Identity, [Parameter(Mandatory)][int] $Priority, [ValidateSet('Hub', 'Edge', 'FrontEnd')] $TransportService, $DomainController) throw 'not mocked' }
function Uninstall-TransportAgent { [CmdletBinding(SupportsShouldProcess)] param([Parameter(Mandatory, Position = 0)] $Identity, [ValidateSet('Hub', 'Edge', 'FrontEnd')] $TransportService, $DomainController) throw 'not mocked' }
function Get-ManagementRole { [CmdletBinding()] param([Parameter(Position = 0)] $Identity, [string] $Cmdlet, [string[]] $CmdletParameters, $DomainController) throw 'not mocked' }
function Get-ManagementRoleAssignment { [CmdletBinding()] param([Parameter(Position = 0)] $Identity, $RoleAssignee, $Role, [bool] $Delegating, [bool] $Enabled, $WritableServer, [switch] $GetEffectiveUsers, $DomainController) throw 'not mocked' }
function Get-ExchangeServer { [CmdletBinding()] param([Parameter(Position = 0)] $Identity, $DomainController, [switch] $Status) throw 'not mocked' }
function Get-SendConnector { [CmdletBinding()] param([Parameter(Position = 0)] $Identity, $DomainController) throw 'not mocked' }
function New-SendConnector {
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory, Position = 0)][string] $Name, [Parameter(Mandatory)] $AddressSpaces,
        [ValidateSet('Custom', 'Internal', 'Internet', 'Partner')] $Usage, [bool] $RequireTLS,
        [ValidateSet('EncryptionOnly', 'CertificateValidation', 'DomainValidation')] $TlsAuthLevel, $TlsDomain,
        [bool] $DNSRoutingEnabled, $SmartHosts, $SourceTransportServers, [bool] $IgnoreSTARTTLS, [bool] $Enabled, $DomainController)
    throw 'not mocked'
}
function Set-SendConnector {
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory, Position = 0)] $Identity, $AddressSpaces, [bool] $RequireTLS,
        [ValidateSet('EncryptionOnly', 'CertificateValidation', 'DomainValidation')] $TlsAuthLevel, $TlsDomain,
        [bool] $DNSRoutingEnabled, $SmartHosts, $SourceTransportServers, [bool] $IgnoreSTARTTLS, [bool] $Enabled, $DomainController)
    throw 'not mocked'
}
function Remove-SendConnector { [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')] param([Parameter(Mandatory, Position = 0)] $Identity, $DomainController) throw 'not mocked' }
function Get-TransportService { [CmdletBinding()] param([Parameter(Position = 0)] $Identity, $DomainController) throw 'not mocked' }
function Get-Service { [CmdletBinding()] param([Parameter(Position = 0)][string[]] $Name) throw 'not mocked' }
function Start-Service { [CmdletBinding(SupportsShouldProcess)] param([Parameter(Mandatory, Position = 0)][string[]] $Name) throw 'not mocked' }
function Stop-Service { [CmdletBinding(SupportsShouldProcess)] param([Parameter(Mandatory, Position = 0)][string[]] $Name, [switch] $Force) throw 'not mocked' }
function Restart-Service { [CmdletBinding(SupportsShouldProcess)] param([Parameter(Mandatory, Position = 0)][string[]] $Name, [switch] $Force) throw 'not mocked' }
function Get-CimInstance { [CmdletBinding()] param([Parameter(Position = 0)][string] $ClassName, [string] $Filter) throw 'not mocked' }

#endregion

Export-ModuleMember -Function *
