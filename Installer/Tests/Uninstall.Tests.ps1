BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    function Install-WithKeys {
        # An installation whose policy names a key relative to itself and one by absolute path.
        $source = Join-Path $Root 'contoso'
        $null = New-TestFile (Join-Path (Join-Path $source 'keys') 'org.pfx')
        $script:ExternalKey = New-TestFile (Join-Path (Join-Path $Root 'hsm-export') 'signing.pfx')
        $policy = Join-Path $source 'contoso.xml'
        New-TestPolicy -Path $policy -AddressSpace $DefaultAddressSpace -PfxFile 'keys/org.pfx', $ExternalKey
        $null = Invoke-TestSetup -With @{ PolicyPath = $policy }
        $null = New-TestFile (Join-Path (Join-Path $InstallPath 'Logs') 'agent.log') 'history'
        Clear-FakeCall
    }
}

Describe 'Uninstall' {
    BeforeEach {
        Use-FakeExchange
        $script:TestPackage = New-TestPackage
        $script:InstallPath = Get-TestInstallPath
        Install-WithKeys
    }

    Context 'after an installation' {
        BeforeEach {
            $script:Result = Invoke-TestSetup -Action Uninstall
            $script:Calls = Get-CallName -Mutating
        }

        It 'disables and uninstalls the transport agent, then restarts the service once to unload it' {
            @(Get-CallParameter 'Disable-TransportAgent')[0].Identity | Should -Be $AgentName
            @(Get-CallParameter 'Uninstall-TransportAgent')[0].Identity | Should -Be $AgentName
            @(Get-CallParameter 'Restart-Service').Count | Should -Be 1
            Get-FakeAgent $AgentName | Should -BeNullOrEmpty
            (Get-FakeServer).ServiceStatus | Should -Be 'Running'
        }

        It 'reverses the installation in order' {
            $steps = @('Disable-TransportAgent', 'Uninstall-TransportAgent', 'Restart-Service', 'Remove-SendConnector', 'Revoke-Access', 'Unregister-AgentEventSource', 'Remove-AgentItem')
            $positions = @($steps | ForEach-Object { Get-FirstCallIndex $Calls $_ })
            $positions | Should -Not -Contain -1
            ($positions -join ',') | Should -Be ((@($positions | Sort-Object) -join ','))
        }

        It 'removes the forced-TLS connector whose last source server this was' {
            @(Get-CallParameter 'Remove-SendConnector')[0].Identity | Should -Be $DefaultConnector
            Get-FakeConnector $DefaultConnector | Should -BeNullOrEmpty
        }

        It 'takes back every access right it granted' {
            (Get-FakeServer).Grants.Count | Should -Be 0
            @(Get-CallParameter 'Revoke-Access' | ForEach-Object { $_.Path }) | Should -Contain $ExternalKey
        }

        It 'removes the event source' {
            @(Get-CallParameter 'Unregister-AgentEventSource')[0].Name | Should -Be 'ExchangeEncryptionAgent'
            (Get-FakeServer).EventSources.Count | Should -Be 0
        }

        It 'deletes the agent files and keeps the policies, keys and logs' {
            @(Get-ChildItem -LiteralPath $InstallPath | ForEach-Object { $_.Name } | Sort-Object) | Should -Be @('Logs', 'Policies')
            Join-Path (Join-Path $InstallPath 'Policies') 'policy.xml' | Should -Exist
            Join-Path (Join-Path (Join-Path $InstallPath 'Policies') 'keys') 'org.pfx' | Should -Exist
            Get-FileText (Join-Path (Join-Path $InstallPath 'Logs') 'agent.log') | Should -Be 'history'
            $ExternalKey | Should -Exist
        }

        It 'leaves nothing that install added, except the data' {
            Get-FakeAgent $AgentName | Should -BeNullOrEmpty
            (Get-FakeOrganisation).Connectors.Count | Should -Be 0
            (Get-FakeServer).Grants.Count | Should -Be 0
            (Get-FakeServer).EventSources.Count | Should -Be 0
            @(Get-ChildItem -LiteralPath $InstallPath -File).Count | Should -Be 0
            "$InstallPath.previous" | Should -Not -Exist
        }

        It 'says where the kept policies and logs are' {
            Should -Invoke -ModuleName $InstallerModuleName Write-Host -ParameterFilter { $Object -match 'removed' -and $Object -match 'Policies and logs were kept' }
        }

        It 'changes nothing when run a second time' {
            Clear-FakeCall
            $second = Invoke-TestSetup -Action Uninstall
            Get-CallName -Mutating | Should -BeNullOrEmpty
            $second.Changed | Should -BeFalse
        }

        It 'lets a later Install start again from the kept policy' {
            Clear-FakeCall
            $null = Invoke-TestSetup
            (Get-FakeAgent $AgentName).Enabled | Should -BeTrue
            @(Get-CallParameter 'Invoke-PolicyInventory')[0].Path | Should -Be (Join-Path (Join-Path $InstallPath 'Policies') 'policy.xml')
        }
    }

    It 'deletes the policies and logs too with -RemoveData, but never a key file named by absolute path' {
        $result = Invoke-TestSetup -Action Uninstall -With @{ RemoveData = $true }
        $InstallPath | Should -Not -Exist
        $ExternalKey | Should -Exist
        (Get-FakeServer).Grants.Count | Should -Be 0
        ($result.Changes -join "`n") | Should -Match 'Delete policies and logs'
    }

    It 'removes this server from a connector other servers still use, and keeps the connector' {
        Set-FakeSendConnector -Parameters @{ Identity = $DefaultConnector; SourceTransportServers = @('EX01', 'EX02') }
        $null = Invoke-TestSetup -Action Uninstall
        Get-CallName | Should -Not -Contain 'Remove-SendConnector'
        @((Get-FakeConnector $DefaultConnector).SourceTransportServers | ForEach-Object { $_.Name }) | Should -Be @('EX02')
    }

    It 'leaves connectors alone with -SkipForcedTlsConnector' {
        $null = Invoke-TestSetup -Action Uninstall -With @{ SkipForcedTlsConnector = $true }
        Get-CallName | Should -Not -Contain 'Remove-SendConnector'
        Get-FakeConnector $DefaultConnector | Should -Not -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        $result = Invoke-TestSetup -Action Uninstall -With @{ WhatIf = $true; RemoveData = $true }
        Get-CallName -Mutating | Should -BeNullOrEmpty
        (Get-FakeAgent $AgentName).Enabled | Should -BeTrue
        Join-Path $InstallPath 'ExchangeEncryptionAgent.dll' | Should -Exist
        $result.Changes.Count | Should -BeGreaterThan 5
    }

    It 'needs no release package' {
        $result = Invoke-EncryptionAgentSetup -Action Uninstall -PackageRoot (Join-Path $Root 'no-package-here') -Confirm:$false
        $result.Changed | Should -BeTrue
        Get-FakeAgent $AgentName | Should -BeNullOrEmpty
    }
}
