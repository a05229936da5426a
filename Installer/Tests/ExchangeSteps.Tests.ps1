<#
    The Exchange steps as Microsoft documents the cmdlets: the shared send connector's source servers changed with
    the add/remove form, the drift check, and properties read defensively.
#>
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    function Get-ConnectorServer {
        @((Get-FakeConnector $DefaultConnector).SourceTransportServers | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Name } })
    }
}

Describe 'The shared forced-TLS send connector' {
    BeforeEach {
        Use-FakeExchange -Servers 'EX01', 'EX02', 'EX03'
        $script:TestPackage = New-TestPackage
    }

    It 'creates a new connector with this server as its only source server' {
        $null = Invoke-TestSetup
        $new = @(Get-CallParameter 'New-SendConnector')
        $new.Count | Should -Be 1
        @($new[0].SourceTransportServers) | Should -Be @('EX01')
        $new[0].Enabled | Should -BeTrue
        $new[0].IgnoreSTARTTLS | Should -BeFalse
    }

    It 'adds this server with @{Add=...}, never by writing the whole list' {
        Add-FakeConnector -Name $DefaultConnector -AddressSpace $DefaultAddressSpace -SourceTransportServers 'EX02'
        $null = Invoke-TestSetup
        foreach ($set in @(Get-CallParameter 'Set-SendConnector' | Where-Object { $_.ContainsKey('SourceTransportServers') })) {
            $set.SourceTransportServers | Should -BeOfType [System.Collections.IDictionary]
            @($set.SourceTransportServers.Keys) | Should -Be @('Add')
            $set.SourceTransportServers['Add'] | Should -Be 'EX01'
        }
        Get-ConnectorServer | Should -Be @('EX02', 'EX01')
    }

    It 'keeps a server that another installation added after this one read the connector' {
        Add-FakeConnector -Name $DefaultConnector -AddressSpace $DefaultAddressSpace -SourceTransportServers 'EX02'
        # EX03 adds itself between this run's Get-SendConnector and its Set-SendConnector.
        (Get-FakeOrganisation).AfterGetSendConnector = {
            (Get-FakeOrganisation).AfterGetSendConnector = $null
            Set-FakeSendConnector -Parameters @{ Identity = $DefaultConnector; SourceTransportServers = @{ Add = 'EX03' } }
        }
        $null = Invoke-TestSetup
        Get-ConnectorServer | Should -Be @('EX02', 'EX03', 'EX01')
    }

    It 'takes this server off with @{Remove=...} on uninstall, keeping a server added meanwhile' {
        $null = Invoke-TestSetup -With @{ Server = @('EX01', 'EX02') }
        Clear-FakeCall
        (Get-FakeOrganisation).AfterGetSendConnector = {
            (Get-FakeOrganisation).AfterGetSendConnector = $null
            Set-FakeSendConnector -Parameters @{ Identity = $DefaultConnector; SourceTransportServers = @{ Add = 'EX03' } }
        }
        $null = Invoke-TestSetup -Action Uninstall
        $set = @(Get-CallParameter 'Set-SendConnector')
        $set.Count | Should -Be 1
        @($set[0].SourceTransportServers.Keys) | Should -Be @('Remove')
        $set[0].SourceTransportServers['Remove'] | Should -Be 'EX01'
        Get-ConnectorServer | Should -Be @('EX02', 'EX03')
        Get-CallName | Should -Not -Contain 'Remove-SendConnector'
    }

    It 'servers installed one after the other all end up on the connector' {
        $null = Invoke-TestSetup -With @{ Server = @('EX01', 'EX02', 'EX03') }
        Get-ConnectorServer | Should -Be @('EX01', 'EX02', 'EX03')
        @(Get-CallParameter 'New-SendConnector').Count | Should -Be 1
        @(Get-CallParameter 'Set-SendConnector' | ForEach-Object { $_.SourceTransportServers['Add'] }) | Should -Be @('EX02', 'EX03')
    }

    It 'corrects a connector that is disabled (<Name>)' -ForEach @(
        @{ Name = 'disabled'; Setting = @{ Enabled = $false }; Property = 'Enabled'; Expected = $true }
        @{ Name = 'ignoring STARTTLS'; Setting = @{ IgnoreSTARTTLS = $true }; Property = 'IgnoreSTARTTLS'; Expected = $false }
    ) {
        $connector = @{ Name = $DefaultConnector; AddressSpace = $DefaultAddressSpace; SourceTransportServers = @('EX01') }
        Add-FakeConnector @connector @Setting
        $null = Invoke-TestSetup
        $set = @(Get-CallParameter 'Set-SendConnector')
        $set.Count | Should -Be 1
        $set[0][$Property] | Should -Be $Expected
        (Get-FakeConnector $DefaultConnector).$Property | Should -Be $Expected
        Clear-FakeCall
        $null = Invoke-TestSetup
        Get-CallName -Mutating | Should -BeNullOrEmpty
    }

    It 'reads a connector that lacks the properties Microsoft does not document, and sets them' {
        Add-FakeConnector -Name $DefaultConnector -AddressSpace $DefaultAddressSpace -SourceTransportServers 'EX01' -Omit 'Enabled', 'IgnoreSTARTTLS', 'TlsDomain', 'DNSRoutingEnabled', 'RequireTLS'
        { $null = Invoke-TestSetup } | Should -Not -Throw
        $set = @(Get-CallParameter 'Set-SendConnector')
        $set.Count | Should -Be 1
        $set[0].Enabled | Should -BeTrue
        $set[0].IgnoreSTARTTLS | Should -BeFalse
        $set[0].RequireTLS | Should -BeTrue
        (Get-FakeAgent $AgentName).Enabled | Should -BeTrue
    }

    It 'understands a deserialized connector (address spaces and servers as strings) and leaves a matching one alone' {
        Add-FakeConnector -Name $DefaultConnector -AddressSpace $DefaultAddressSpace -SourceTransportServers 'EX02', 'EX01' -Deserialized
        $null = Invoke-TestSetup
        Get-CallName | Should -Not -Contain 'Set-SendConnector'
        Get-CallName | Should -Not -Contain 'New-SendConnector'
    }

    It 'reports status and uninstalls with a connector that lacks undocumented properties' {
        $null = Invoke-TestSetup
        $connector = Get-FakeConnector $DefaultConnector
        $connector.PSObject.Properties.Remove('Enabled')
        (Invoke-TestSetup -Action Status).ConnectorHasServer | Should -BeTrue
        { $null = Invoke-TestSetup -Action Uninstall } | Should -Not -Throw
        Get-FakeConnector $DefaultConnector | Should -BeNullOrEmpty
    }
}

Describe 'Set-TransportAgent -Priority bounds' {
    BeforeEach {
        Use-FakeExchange
        $script:TestPackage = New-TestPackage
        # Six built-in agents; ours makes seven.
        $script:AgentCount = (Get-FakeServer).Agents.Count + 1
    }

    It 'the fake refuses an out-of-range priority as the cmdlet does, and moves nothing' {
        $before = @((Get-FakeServer).Agents | ForEach-Object { $_.Identity })
        { Invoke-FakeCommand -Command 'Set-TransportAgent' -Parameters @{ Identity = 'Malware Agent'; Priority = $before.Count + 1 } } | Should -Throw '*between 0 and*'
        { Invoke-FakeCommand -Command 'Set-TransportAgent' -Parameters @{ Identity = 'Malware Agent'; Priority = -1 } } | Should -Throw '*between 0 and*'
        @((Get-FakeServer).Agents | ForEach-Object { $_.Identity }) | Should -Be $before
    }

    It 'accepts the number of agents, counting the new one, and puts the agent last' {
        $null = Invoke-TestSetup -With @{ Priority = $AgentCount }
        (Get-FakeAgent $AgentName).Priority | Should -Be $AgentCount
    }

    It 'accepts 0, which puts the agent first (with the warning about the Transport Rule agent)' {
        Mock -ModuleName $InstallerModuleName Write-Warning { }
        $null = Invoke-TestSetup -With @{ Priority = 0 }
        @(Get-CallParameter 'Set-TransportAgent')[0].Priority | Should -Be 0
        (Get-FakeAgent $AgentName).Priority | Should -Be 1
        Should -Invoke -ModuleName $InstallerModuleName Write-Warning -ParameterFilter { $Message -like '*before the Transport Rule Agent*' } -Times 1 -Exactly
    }

    It 'refuses a priority above the number of agents before anything changes' {
        { Invoke-TestSetup -With @{ Priority = $AgentCount + 1 } } | Should -Throw "*-Priority $($AgentCount + 1) is out of range*0 to $AgentCount*Nothing was changed*"
        Get-CallName -Mutating | Should -BeNullOrEmpty
        Get-FakeAgent $AgentName | Should -BeNullOrEmpty
    }

    It 'refuses a negative priority at the parameter' {
        { Invoke-TestSetup -With @{ Priority = -1 } } | Should -Throw '*Priority*'
        Get-CallName -Mutating | Should -BeNullOrEmpty
    }

    It 'refuses an out-of-range priority on Upgrade before the backup, outside the rollback window' {
        $null = Invoke-TestSetup
        Clear-FakeCall
        $newer = New-TestPackage -Version '1.1.0'
        { Invoke-TestSetup -Action Upgrade -PackageRoot $newer -With @{ Priority = $AgentCount + 1 } } | Should -Throw '*out of range*Nothing was changed*'
        Get-CallName -Mutating | Should -BeNullOrEmpty
        Get-CallName | Should -Not -Contain 'Stop-Service'
        Get-FakeAgentVersion -AssemblyPath (Get-FakeAgent $AgentName).AssemblyPath | Should -Be '1.0.0'
        (Get-FakeServer).ServiceStatus | Should -Be 'Running'
        Join-Path (Get-TestInstallPath) '..' | Join-Path -ChildPath 'ExchangeEncryptionAgent.previous' | Should -Not -Exist
    }

    It 'counts an installed agent once: the number of agents is the top priority on Upgrade' {
        $null = Invoke-TestSetup
        $null = Invoke-TestSetup -Action Upgrade -PackageRoot (New-TestPackage -Version '1.1.0') -With @{ Priority = $AgentCount }
        (Get-FakeAgent $AgentName).Priority | Should -Be $AgentCount
        { Invoke-TestSetup -Action Upgrade -PackageRoot (New-TestPackage -Version '1.2.0') -With @{ Priority = $AgentCount + 1 } } | Should -Throw '*out of range*'
    }
}

Describe 'Server role: Mailbox or Edge' {
    BeforeEach {
        Use-FakeExchange
        $script:TestPackage = New-TestPackage
        Mock -ModuleName $InstallerModuleName Write-Warning { }
    }

    It 'asks Get-ExchangeServer for this server''s role before it changes anything' {
        $null = Invoke-TestSetup
        @(Get-CallParameter 'Get-ExchangeServer')[0].Identity | Should -Be 'EX01'
        (Get-CallIndex { $_.Command -eq 'Get-ExchangeServer' }) | Should -BeLessThan (Get-CallIndex { $_.Command -eq 'Copy-AgentFile' })
    }

    It 'uses the Hub transport service on a Mailbox server' {
        $null = Invoke-TestSetup
        foreach ($command in 'Install-TransportAgent', 'Enable-TransportAgent', 'Get-TransportAgent') {
            @(Get-CallParameter $command | ForEach-Object { $_.TransportService } | Select-Object -Unique) | Should -Be @('Hub')
        }
    }

    It 'uses the Edge transport service on an Edge server, with nothing invalid there' {
        (Get-FakeServer).Role = 'Edge'
        # Priority 6: one place up from where a new agent lands, so Set-TransportAgent runs too.
        $result = Invoke-TestSetup -With @{ Priority = 6 }
        foreach ($call in @(Get-FakeCall | Where-Object { $_.Command -like '*-TransportAgent' })) {
            $call.Parameters.TransportService | Should -Be 'Edge'
            $call.Parameters.ContainsKey('DomainController') | Should -BeFalse
        }
        @(Get-CallParameter 'Set-TransportAgent').Count | Should -Be 1
        (Get-FakeAgent $AgentName).Priority | Should -Be 6
        Get-CallName | Should -Not -Contain 'Get-SendConnector'
        Get-CallName | Should -Not -Contain 'New-SendConnector'
        (Get-FakeAgent $AgentName).Enabled | Should -BeTrue
        (Invoke-TestSetup -Action Status).TransportService | Should -Be 'Edge'
        $result.Changed | Should -BeTrue
        Should -Invoke -ModuleName $InstallerModuleName Write-Warning -ParameterFilter { $Message -like '*Edge Transport server*send connector*Edge subscription*' }
    }

    It 'upgrades and uninstalls on an Edge server with the Edge transport service' {
        (Get-FakeServer).Role = 'Edge'
        $null = Invoke-TestSetup
        $null = Invoke-TestSetup -Action Upgrade -PackageRoot (New-TestPackage -Version '1.1.0')
        $null = Invoke-TestSetup -Action Uninstall
        Get-FakeAgent $AgentName | Should -BeNullOrEmpty
        @(Get-FakeCall | Where-Object { $_.Command -like '*-TransportAgent' } | ForEach-Object { $_.Parameters.TransportService } | Select-Object -Unique) | Should -Be @('Edge')
    }

    It 'refuses -TransportService Hub on an Edge server before anything changes' {
        (Get-FakeServer).Role = 'Edge'
        { Invoke-TestSetup -With @{ TransportService = 'Hub' } } | Should -Throw '*EX01 is an Edge Transport server*-TransportService Hub is not valid*Nothing was changed*'
        Get-CallName -Mutating | Should -BeNullOrEmpty
    }

    It 'refuses -TransportService Edge on a Mailbox server before anything changes' {
        { Invoke-TestSetup -With @{ TransportService = 'Edge' } } | Should -Throw '*EX01 is a Mailbox server*-TransportService Edge is not valid*'
        Get-CallName -Mutating | Should -BeNullOrEmpty
    }

    It 'detects the role from ServerRole when IsEdgeServer is missing from the output' {
        (Get-FakeServer).Role = 'Edge'
        (Get-FakeServer).OmitServerProperties = @('IsEdgeServer', 'IsMailboxServer')
        $null = Invoke-TestSetup
        @(Get-CallParameter 'Install-TransportAgent')[0].TransportService | Should -Be 'Edge'
    }

    It 'refuses a server that is neither Mailbox nor Edge' {
        (Get-FakeServer).Role = 'ClientAccess'
        { Invoke-TestSetup } | Should -Throw "*not a Mailbox or Edge Transport server*'ClientAccess'*"
        Get-CallName -Mutating | Should -BeNullOrEmpty
    }

    It 'passes the choice to remote servers only when it was given' {
        Use-FakeExchange -Servers 'EX01', 'EX02'
        $null = Invoke-TestSetup -With @{ Server = @('EX02') }
        @(Get-CallParameter 'Invoke-RemoteInstaller')[0].Parameters.ContainsKey('TransportService') | Should -BeFalse
        @(Get-CallParameter 'Install-TransportAgent' -Server 'EX02')[0].TransportService | Should -Be 'Hub'
    }
}

Describe 'Permissions and the connected server, checked before anything changes' {
    BeforeEach {
        Use-FakeExchange
        $script:TestPackage = New-TestPackage
    }

    It 'finds the roles by cmdlet and the account''s assignments as Microsoft documents, before the first change' {
        $null = Invoke-TestSetup
        @(Get-CallParameter 'Get-ManagementRole' | ForEach-Object { $_.Cmdlet }) | Should -Be @('Install-TransportAgent', 'Enable-TransportAgent', 'Set-TransportAgent', 'New-SendConnector', 'Set-SendConnector')
        foreach ($query in @(Get-CallParameter 'Get-ManagementRoleAssignment')) {
            $query.RoleAssignee | Should -Be 'CONTOSO\exadmin'
            $query.Delegating | Should -BeFalse
            $query.Enabled | Should -BeTrue
        }
        @(Get-CallParameter 'Get-ManagementRoleAssignment' | Where-Object { $_.Role -eq 'Transport Agents' })[0].WritableServer | Should -Be 'EX01'
        (Get-CallIndex { $_.Command -eq 'Get-ManagementRoleAssignment' } -Last) | Should -BeLessThan (Get-CallIndex { $_.Command -eq 'Copy-AgentFile' })
    }

    It 'stops before any change when the account may not manage send connectors, and names the role group' {
        (Get-FakeOrganisation).Assignments['CONTOSO\exadmin'] = @(@{ Role = 'Transport Agents'; Servers = $null })
        { Invoke-TestSetup } | Should -Throw '*CONTOSO\exadmin holds no Exchange management role that allows New-SendConnector, Set-SendConnector*Nothing was changed*Organization Management*-SkipForcedTlsConnector*'
        Get-CallName -Mutating | Should -BeNullOrEmpty
    }

    It 'needs no send connector rights with -SkipForcedTlsConnector, and still checks the agent cmdlets' {
        (Get-FakeOrganisation).Assignments['CONTOSO\exadmin'] = @(@{ Role = 'Transport Agents'; Servers = $null })
        Mock -ModuleName $InstallerModuleName Write-Warning { }
        $null = Invoke-TestSetup -With @{ SkipForcedTlsConnector = $true }
        (Get-FakeAgent $AgentName).Enabled | Should -BeTrue
        @(Get-CallParameter 'Get-ManagementRole' | ForEach-Object { $_.Cmdlet }) | Should -Be @('Install-TransportAgent', 'Enable-TransportAgent', 'Set-TransportAgent')
        Should -Invoke -ModuleName $InstallerModuleName Write-Warning -Times 0 -Exactly
    }

    It 'stops a run without connector steps when the account lacks the transport agent cmdlets' {
        (Get-FakeOrganisation).Assignments['CONTOSO\exadmin'] = @(@{ Role = 'Send Connectors'; Servers = $null })
        { Invoke-TestSetup -With @{ SkipForcedTlsConnector = $true } } | Should -Throw '*allows Install-TransportAgent, Enable-TransportAgent, Set-TransportAgent on EX01*'
        Get-CallName -Mutating | Should -BeNullOrEmpty
    }

    It 'counts a scoped assignment only when its scope covers this server' {
        (Get-FakeOrganisation).Assignments['CONTOSO\exadmin'] = @(@{ Role = 'Transport Agents'; Servers = @('EX09') }, @{ Role = 'Send Connectors'; Servers = $null })
        { Invoke-TestSetup } | Should -Throw '*allows Install-TransportAgent, Enable-TransportAgent, Set-TransportAgent on EX01*'
        Get-CallName -Mutating | Should -BeNullOrEmpty
    }

    It 'checks the uninstall steps too, including the connector this server is on' {
        $null = Invoke-TestSetup
        (Get-FakeOrganisation).Assignments['CONTOSO\exadmin'] = @(@{ Role = 'Transport Agents'; Servers = $null })
        Clear-FakeCall
        { Invoke-TestSetup -Action Uninstall } | Should -Throw '*allows Set-SendConnector, Remove-SendConnector*'
        Get-CallName -Mutating | Should -BeNullOrEmpty
        (Get-FakeAgent $AgentName).Enabled | Should -BeTrue
    }

    It 'warns and goes on when the account cannot read role assignments' {
        (Get-FakeOrganisation).RbacCmdletsVisible = $false
        Mock -ModuleName $InstallerModuleName Write-Warning { }
        $null = Invoke-TestSetup
        Should -Invoke -ModuleName $InstallerModuleName Write-Warning -ParameterFilter { $Message -like '*Could not check the Exchange permissions*' } -Times 1 -Exactly
        (Get-FakeAgent $AgentName).Enabled | Should -BeTrue
    }

    It 'does not ask RBAC on an Edge server, where local Administrators is what counts' {
        (Get-FakeServer).Role = 'Edge'
        (Get-FakeOrganisation).Assignments['CONTOSO\exadmin'] = @()
        Mock -ModuleName $InstallerModuleName Write-Warning { }
        $null = Invoke-TestSetup
        Get-CallName | Should -Not -Contain 'Get-ManagementRoleAssignment'
        (Get-FakeAgent $AgentName).Enabled | Should -BeTrue
    }

    It 'refuses a shell connected to another server before anything changes' {
        (Get-FakeOrganisation).ShellServer = 'ex02.contoso.com'
        { Invoke-TestSetup } | Should -Throw '*connected to ex02.contoso.com, not to this server (EX01)*Nothing was changed*'
        Get-CallName -Mutating | Should -BeNullOrEmpty
        Get-CallName | Should -Not -Contain 'Get-TransportAgent'
    }

    It 'accepts a shell connected to this server by its FQDN' {
        (Get-FakeOrganisation).ShellServer = 'EX01.contoso.com'
        $null = Invoke-TestSetup
        (Get-FakeAgent $AgentName).Enabled | Should -BeTrue
    }

    It 'refuses to report Status through a shell connected to another server' {
        (Get-FakeOrganisation).ShellServer = 'EX02'
        { Invoke-TestSetup -Action Status } | Should -Throw '*connected to EX02*'
    }
}
