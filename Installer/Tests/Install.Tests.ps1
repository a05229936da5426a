BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    function Use-FakeExchangeAgain {
        # Keep the organisation's state but restore the mock a test replaced.
        Mock -ModuleName $InstallerModuleName Enable-TransportAgent { Invoke-FakeCommand -Command 'Enable-TransportAgent' -Parameters $PesterBoundParameters }
        Clear-FakeCall
    }
}

Describe 'Install on this server' {
    BeforeEach {
        Use-FakeExchange
        $script:TestPackage = New-TestPackage
        $script:InstallPath = Get-TestInstallPath
    }

    Context 'a first installation' {
        BeforeEach {
            $script:Result = Invoke-TestSetup
            $script:Calls = Get-CallName
            $script:Changing = Get-CallName -Mutating
        }

        It 'validates the policy before it changes anything' {
            $validation = Get-FirstCallIndex $Calls 'Invoke-PolicyInventory'
            $validation | Should -BeGreaterOrEqual 0
            $firstChange = Get-FirstCallIndex $Calls $Changing[0]
            $validation | Should -BeLessThan $firstChange
        }

        It 'validates with the package''s own agent assembly' {
            @(Get-CallParameter 'Import-AgentAssembly')[0].Path | Should -Be (Join-Path (Join-Path $TestPackage 'agent') 'ExchangeEncryptionAgent.dll')
        }

        It 'runs the steps in the documented order' {
            $steps = @('Copy-AgentFile', 'Register-AgentEventSource', 'Grant-Access', 'New-SendConnector', 'Install-TransportAgent', 'Enable-TransportAgent', 'Restart-Service')
            $positions = @($steps | ForEach-Object { Get-FirstCallIndex $Changing $_ })
            $positions | Should -Not -Contain -1
            ($positions -join ',') | Should -Be ((@($positions | Sort-Object) -join ','))
        }

        It 'confirms the agent with Get-TransportAgent after the restart' {
            (Get-LastCallIndex $Calls 'Get-TransportAgent') | Should -BeGreaterThan (Get-LastCallIndex $Calls 'Restart-Service')
            (Get-FakeAgent $AgentName).Enabled | Should -BeTrue
        }

        It 'registers the agent with the full factory type name and the absolute assembly path' {
            $install = @(Get-CallParameter 'Install-TransportAgent')
            $install.Count | Should -Be 1
            $install[0].Name | Should -Be $AgentName
            $install[0].TransportAgentFactory | Should -Be $FactoryTypeName
            $install[0].AssemblyPath | Should -Be (Join-Path $InstallPath 'ExchangeEncryptionAgent.dll')
            [System.IO.Path]::IsPathRooted($install[0].AssemblyPath) | Should -BeTrue
            $install[0].TransportService | Should -Be 'Hub'
        }

        It 'enables the agent and restarts MSExchangeTransport exactly once' {
            @(Get-CallParameter 'Enable-TransportAgent')[0].Identity | Should -Be $AgentName
            @(Get-CallParameter 'Restart-Service').Count | Should -Be 1
            @(Get-CallParameter 'Restart-Service')[0].Name | Should -Be 'MSExchangeTransport'
            (Get-FakeServer).ServiceStatus | Should -Be 'Running'
        }

        It 'leaves a new agent last, which is after the Transport Rule agent, without moving it' {
            @(Get-CallParameter 'Set-TransportAgent').Count | Should -Be 0
            (Get-FakeAgent $AgentName).Priority | Should -BeGreaterThan (Get-FakeAgent 'Transport Rule Agent').Priority
        }

        It 'copies the agent, every dependency and NLog.config into the install folder' {
            foreach ($file in Get-ChildItem -LiteralPath (Join-Path $TestPackage 'agent')) {
                Get-FileText (Join-Path $InstallPath $file.Name) | Should -Be (Get-FileText $file.FullName)
            }
        }

        It 'copies the shipped schema, default policy and examples, and activates the default policy as policy.xml' {
            $policies = Join-Path $InstallPath 'Policies'
            Join-Path $policies 'policy.xsd' | Should -Exist
            Join-Path (Join-Path $policies 'examples') 'partner.xml' | Should -Exist
            Get-FileText (Join-Path $policies 'policy.xml') | Should -Be (Get-FileText (Join-Path (Join-Path $TestPackage 'Policies') 'default.xml'))
            $Result.PolicyPath | Should -Be (Join-Path $policies 'policy.xml')
        }

        It 'creates the event source in the Application log' {
            @(Get-CallParameter 'Register-AgentEventSource')[0].Name | Should -Be 'ExchangeEncryptionAgent'
            (Get-FakeServer).EventSources['ExchangeEncryptionAgent'] | Should -Be 'Application'
        }

        It 'gives the transport service account read on the policies and modify on the log folder only' {
            $grants = (Get-FakeServer).Grants.ToArray()
            $grants | ForEach-Object { $_.Account | Should -Be $ServiceAccount }
            @($grants | Where-Object { $_.Rights -eq 'Modify' } | ForEach-Object { $_.Path }) | Should -Be @(Join-Path $InstallPath 'Logs')
            @($grants | Where-Object { $_.Rights -eq 'Read' } | ForEach-Object { $_.Path }) | Should -Be @(Join-Path $InstallPath 'Policies')
            Join-Path $InstallPath 'Logs' | Should -Exist
        }

        It 'creates the forced-TLS send connector for the policy''s address space' {
            $connector = @(Get-CallParameter 'New-SendConnector')
            $connector.Count | Should -Be 1
            $connector[0].Name | Should -Be $DefaultConnector
            $connector[0].AddressSpaces | Should -Be "SMTP:$DefaultAddressSpace;1"
            $connector[0].RequireTLS | Should -BeTrue
            $connector[0].TlsAuthLevel | Should -Be 'DomainValidation'
            $connector[0].DNSRoutingEnabled | Should -BeTrue
            $connector[0].SourceTransportServers | Should -Be @('EX01')
            $connector[0].ContainsKey('TlsDomain') | Should -BeFalse
        }

        It 'returns an object that lists what it changed' {
            $Result.Server | Should -Be 'EX01'
            $Result.Action | Should -Be 'Install'
            $Result.Changed | Should -BeTrue
            $Result.Version | Should -Be '1.0.0'
            $Result.Changes | Should -Contain "Install-TransportAgent $AgentName ($FactoryTypeName, $(Join-Path $InstallPath 'ExchangeEncryptionAgent.dll')) on the Hub transport service"
        }

        It 'tells the administrator what to do next' {
            Should -Invoke -ModuleName $InstallerModuleName Write-Host -ParameterFilter {
                $Object -match 'Next steps' -and $Object -match 'Close this PowerShell window' -and $Object -match 'event 1000' -and $Object -match [regex]::Escape((Join-Path (Join-Path $InstallPath 'Policies') 'policy.xml'))
            }
        }

        It 'gives Policies and Logs\spool protected ACLs: SYSTEM, Administrators and the transport account by SID, nothing inherited' {
            $policies = Join-Path $InstallPath 'Policies'
            $spool = Join-Path (Join-Path $InstallPath 'Logs') 'spool'
            $calls = @(Get-CallParameter 'Set-ProtectedAcl')
            @($calls | ForEach-Object { $_.Path } | Sort-Object) | Should -Be @(@($policies, $spool) | Sort-Object)
            $byPath = @{}
            foreach ($call in $calls) { $byPath[$call.Path] = @($call.Rule | ForEach-Object { "$($_.Sid) $($_.Rights)" }) }
            $byPath[$policies] | Should -Be @('S-1-5-18 FullControl', 'S-1-5-32-544 FullControl', 'S-1-5-20 Read')
            $byPath[$spool] | Should -Be @('S-1-5-18 FullControl', 'S-1-5-32-544 FullControl', 'S-1-5-20 Modify')
            Test-Path -LiteralPath $spool -PathType Container | Should -BeTrue
        }

        It 'protects Policies before the policy that reads keys from there becomes active' {
            $policies = Join-Path $InstallPath 'Policies'
            $protect = Get-CallIndex { $_.Command -eq 'Set-ProtectedAcl' -and $_.Parameters.Path -eq $policies }
            $activation = Get-CallIndex { $_.Command -eq 'Copy-AgentFile' -and $_.Parameters.Destination -eq (Join-Path $policies 'policy.xml') }
            $protect | Should -BeGreaterOrEqual 0
            $protect | Should -BeLessThan $activation
        }

        It 'changes nothing when run a second time' {
            Clear-FakeCall
            $second = Invoke-TestSetup
            Get-CallName -Mutating | Should -BeNullOrEmpty
            $second.Changed | Should -BeFalse
            $second.Changes | Should -BeNullOrEmpty
        }

        It 'still validates the policy on the second run' {
            Clear-FakeCall
            $null = Invoke-TestSetup
            Get-CallName | Should -Contain 'Invoke-PolicyInventory'
        }
    }

    Context '-WhatIf' {
        It 'changes nothing, creates no file and still validates the policy' {
            $result = Invoke-TestSetup -With @{ WhatIf = $true }
            Get-CallName -Mutating | Should -BeNullOrEmpty
            Get-CallName | Should -Contain 'Invoke-PolicyInventory'
            $InstallPath | Should -Not -Exist
            (Get-FakeServer).EventSources.Count | Should -Be 0
            $result.WhatIf | Should -BeTrue
        }

        It 'reports every change it would make' {
            $result = Invoke-TestSetup -With @{ WhatIf = $true }
            $result.Changes | Should -Contain "Create event source 'ExchangeEncryptionAgent' in the Application log"
            ($result.Changes -join "`n") | Should -Match 'Install-TransportAgent'
            ($result.Changes -join "`n") | Should -Match 'Restart MSExchangeTransport'
        }

        It 'changes nothing on an installed server either' {
            $null = Invoke-TestSetup -With @{ Priority = 2 }
            $newPolicy = Join-Path $Root 'new.xml'
            New-TestPolicy -Path $newPolicy -AddressSpace 'other.eea.invalid'
            Clear-FakeCall
            $before = Get-FileText (Join-Path (Join-Path $InstallPath 'Policies') 'policy.xml')
            $null = Invoke-TestSetup -With @{ WhatIf = $true; PolicyPath = $newPolicy; Priority = 5 }
            Get-CallName -Mutating | Should -BeNullOrEmpty
            Get-FileText (Join-Path (Join-Path $InstallPath 'Policies') 'policy.xml') | Should -Be $before
        }
    }

    Context 'an invalid policy' {
        It 'stops before the transport service or any file is touched, and says why' {
            $bad = Join-Path $Root 'bad.xml'
            New-TestPolicy -Path $bad -AddressSpace $DefaultAddressSpace -RuleName 'INVALID-RULE'
            { Invoke-TestSetup -With @{ PolicyPath = $bad } } | Should -Throw "*is invalid. Nothing was changed*rule 'INVALID-RULE'*"
            Get-CallName -Mutating | Should -BeNullOrEmpty
            Get-CallName | Should -Not -Contain 'Restart-Service'
            $InstallPath | Should -Not -Exist
        }

        It 'stops on a policy in the wrong namespace' {
            $bad = Join-Path $Root 'wrong-namespace.xml'
            Set-Content -LiteralPath $bad -Value '<Policy xmlns="urn:somebody-else"/>'
            { Invoke-TestSetup -With @{ PolicyPath = $bad } } | Should -Throw '*root element must be Policy*'
            Get-CallName -Mutating | Should -BeNullOrEmpty
        }

        It 'stops when the policy names a key file that does not exist' {
            $policy = Join-Path $Root 'missing-key.xml'
            New-TestPolicy -Path $policy -PfxFile 'keys/absent.pfx'
            { Invoke-TestSetup -With @{ PolicyPath = $policy } } | Should -Throw "*refers to files that do not exist*keys*absent.pfx*"
            Get-CallName -Mutating | Should -BeNullOrEmpty
        }

        It 'stops when -PolicyPath does not exist' {
            { Invoke-TestSetup -With @{ PolicyPath = (Join-Path $Root 'nowhere.xml') } } | Should -Throw '*does not exist. Nothing was changed*'
            Get-CallName -Mutating | Should -BeNullOrEmpty
        }

        It 'stops on a relative key path that climbs out of the policy folder' {
            $null = New-TestFile (Join-Path $Root 'outside.pfx')
            $policy = Join-Path (Join-Path $Root 'policy') 'climbs.xml'
            New-TestPolicy -Path $policy -PfxFile '../outside.pfx'
            { Invoke-TestSetup -With @{ PolicyPath = $policy } } | Should -Throw "*outside the policy's folder*outside.pfx*"
            Get-CallName -Mutating | Should -BeNullOrEmpty
        }
    }

    Context 'prerequisites' {
        It 'needs an administrator' {
            (Get-FakeServer).IsAdmin = $false
            { Invoke-TestSetup } | Should -Throw '*as an administrator*'
            Get-CallName -Mutating | Should -BeNullOrEmpty
            Get-CallName | Should -Not -Contain 'Invoke-PolicyInventory'
        }

        It 'needs .NET Framework 4.8' {
            (Get-FakeServer).DotNetRelease = 461814
            { Invoke-TestSetup } | Should -Throw '*.NET Framework 4.8 or later*461814*'
            Get-CallName -Mutating | Should -BeNullOrEmpty
        }

        It 'opens this server''s own Exchange PowerShell endpoint when the cmdlets are not there yet' {
            (Get-FakeServer).SnapInLoaded = $false
            $null = Invoke-TestSetup
            @(Get-CallParameter 'Connect-ExchangeEndpoint')[0].ServerFqdn | Should -Be 'EX01.contoso.test'
            (Get-FakeAgent $AgentName).Enabled | Should -BeTrue
        }

        It 'explains where to run it when the Exchange tools are missing' {
            (Get-FakeServer).SnapInLoaded = $false
            (Get-FakeServer).SnapInMissing = $true
            { Invoke-TestSetup } | Should -Throw '*http://EX01.contoso.test/PowerShell/*Nothing was changed*Exchange Management Shell on this server*'
            Get-CallName -Mutating | Should -BeNullOrEmpty
        }

        It 'refuses to run from a folder that is not a release package' {
            $empty = New-Item -ItemType Directory -Path (Join-Path $Root 'not-a-package') -Force
            { Invoke-TestSetup -PackageRoot $empty.FullName } | Should -Throw '*New-ReleasePackage.ps1*'
            Get-CallName -Mutating | Should -BeNullOrEmpty
        }

        It 'needs ExchangeInstallPath when no -InstallPath is given' {
            $env:ExchangeInstallPath = ''
            { Invoke-TestSetup } | Should -Throw '*ExchangeInstallPath*'
        }

        It 'refuses a network install path' {
            { Invoke-TestSetup -With @{ InstallPath = '\\fileserver\agents' } } | Should -Throw '*network path*'
        }
    }

    Context 'choices' {
        It 'installs into -InstallPath' {
            $custom = Join-Path $Root 'custom-agents'
            $null = Invoke-TestSetup -With @{ InstallPath = $custom }
            @(Get-CallParameter 'Install-TransportAgent')[0].AssemblyPath | Should -Be (Join-Path $custom 'ExchangeEncryptionAgent.dll')
            Join-Path $custom 'ExchangeEncryptionAgent.dll' | Should -Exist
        }

        It 'sets -Priority with Set-TransportAgent after enabling the agent' {
            $null = Invoke-TestSetup -With @{ Priority = 3 }
            $set = @(Get-CallParameter 'Set-TransportAgent')
            $set.Count | Should -Be 1
            $set[0].Identity | Should -Be $AgentName
            $set[0].Priority | Should -Be 3
            $calls = Get-CallName -Mutating
            (Get-FirstCallIndex $calls 'Set-TransportAgent') | Should -BeGreaterThan (Get-FirstCallIndex $calls 'Enable-TransportAgent')
            (Get-FirstCallIndex $calls 'Set-TransportAgent') | Should -BeLessThan (Get-FirstCallIndex $calls 'Restart-Service')
            (Get-FakeAgent $AgentName).Priority | Should -Be 3
        }

        It 'moves an agent found before the Transport Rule agent to just after it' {
            $null = Invoke-TestSetup -With @{ Priority = 1 }
            (Get-FakeAgent $AgentName).Priority | Should -BeLessThan (Get-FakeAgent 'Transport Rule Agent').Priority
            Clear-FakeCall
            $null = Invoke-TestSetup
            (Get-FakeAgent $AgentName).Priority | Should -Be ((Get-FakeAgent 'Transport Rule Agent').Priority + 1)
            @(Get-CallParameter 'Set-TransportAgent')[0].Priority | Should -Be 2
            Get-CallName -Mutating | Should -Contain 'Restart-Service'
        }

        It 'warns when -Priority puts the agent before the Transport Rule agent' {
            Mock -ModuleName $InstallerModuleName Write-Warning { }
            $null = Invoke-TestSetup -With @{ Priority = 1 }
            Should -Invoke -ModuleName $InstallerModuleName Write-Warning -ParameterFilter { $Message -like '*before the Transport Rule Agent*' } -Times 1 -Exactly
        }

        It 'installs on the Edge transport service without touching send connectors' {
            (Get-FakeServer).Role = 'Edge'
            Mock -ModuleName $InstallerModuleName Write-Warning { }
            $null = Invoke-TestSetup -With @{ TransportService = 'Edge' }
            @(Get-CallParameter 'Install-TransportAgent')[0].TransportService | Should -Be 'Edge'
            @(Get-CallParameter 'Enable-TransportAgent')[0].TransportService | Should -Be 'Edge'
            Get-CallName | Should -Not -Contain 'New-SendConnector'
            Get-CallName | Should -Not -Contain 'Get-SendConnector'
        }

        It 'leaves send connectors alone with -SkipForcedTlsConnector' {
            $null = Invoke-TestSetup -With @{ SkipForcedTlsConnector = $true }
            Get-CallName | Should -Not -Contain 'Get-SendConnector'
            Get-CallName | Should -Contain 'Install-TransportAgent'
        }

        It 'uses -ForcedTlsConnectorName and the policy''s TlsDomain' {
            $policy = Join-Path $Root 'tls.xml'
            New-TestPolicy -Path $policy -AddressSpace 'partners.eea.invalid' -TlsDomain 'mx.partner.example'
            $null = Invoke-TestSetup -With @{ PolicyPath = $policy; ForcedTlsConnectorName = 'Partners forced TLS' }
            $connector = @(Get-CallParameter 'New-SendConnector')[0]
            $connector.Name | Should -Be 'Partners forced TLS'
            $connector.AddressSpaces | Should -Be 'SMTP:partners.eea.invalid;1'
            $connector.TlsDomain | Should -Be 'mx.partner.example'
        }

        It 'creates no connector for a policy without a forced-TLS address space' {
            $policy = Join-Path $Root 'no-tls.xml'
            New-TestPolicy -Path $policy
            $null = Invoke-TestSetup -With @{ PolicyPath = $policy }
            Get-CallName | Should -Not -Contain 'New-SendConnector'
        }

        It 'adds this server to an existing connector, keeping its other servers' {
            Add-FakeConnector -Name $DefaultConnector -AddressSpace $DefaultAddressSpace -SourceTransportServers 'EX02'
            $null = Invoke-TestSetup
            Get-CallName | Should -Not -Contain 'New-SendConnector'
            $set = @(Get-CallParameter 'Set-SendConnector')
            $set.Count | Should -Be 1
            $set[0].Identity | Should -Be $DefaultConnector
            $set[0].SourceTransportServers['Add'] | Should -Be 'EX01'
            @((Get-FakeConnector $DefaultConnector).SourceTransportServers | ForEach-Object { $_.Name }) | Should -Be @('EX02', 'EX01')
        }

        It 'corrects an existing connector that does not require TLS' {
            Add-FakeConnector -Name $DefaultConnector -AddressSpace $DefaultAddressSpace -SourceTransportServers 'EX01' -RequireTLS $false -TlsAuthLevel 'EncryptionOnly'
            $null = Invoke-TestSetup
            $set = @(Get-CallParameter 'Set-SendConnector')[0]
            $set.RequireTLS | Should -BeTrue
            $set.TlsAuthLevel | Should -Be 'DomainValidation'
            (Get-FakeConnector $DefaultConnector).RequireTLS | Should -BeTrue
        }
    }

    Context 'policies and key files' {
        It 'copies key files named relative to the policy and grants read on key files named by absolute path' {
            $source = Join-Path $Root 'contoso'
            $null = New-TestFile (Join-Path (Join-Path $source 'keys') 'org.pfx')
            $null = New-TestFile (Join-Path (Join-Path $source 'keys') 'org.pwd') 'password'
            $external = New-TestFile (Join-Path (Join-Path $Root 'hsm-export') 'signing.pfx')
            $policy = Join-Path $source 'contoso.xml'
            New-TestPolicy -Path $policy -AddressSpace $DefaultAddressSpace -PfxFile 'keys/org.pfx', $external -PasswordFile 'keys/org.pwd'

            $null = Invoke-TestSetup -With @{ PolicyPath = $policy }

            $policies = Join-Path $InstallPath 'Policies'
            Get-FileText (Join-Path (Join-Path $policies 'keys') 'org.pfx') | Should -Be 'secret material'
            Get-FileText (Join-Path (Join-Path $policies 'keys') 'org.pwd') | Should -Be 'password'
            Get-FileText (Join-Path $policies 'policy.xml') | Should -Be (Get-FileText $policy)
            Test-FakeGranted -Path $external -Account $ServiceAccount -Rights 'Read' | Should -BeTrue
            Test-FakeGranted -Path (Join-Path (Join-Path $policies 'keys') 'org.pfx') -Account $ServiceAccount -Rights 'Read' | Should -BeTrue
            @((Get-FakeServer).Grants | Where-Object { $_.Path -eq $external }).Count | Should -Be 1
        }

        It 'grants access to the key files before it activates the policy that needs them' {
            $external = New-TestFile (Join-Path $Root 'signing.pfx')
            $policy = Join-Path (Join-Path $Root 'p') 'signing.xml'
            New-TestPolicy -Path $policy -AddressSpace $DefaultAddressSpace -KeyFile $external
            $null = Invoke-TestSetup -With @{ PolicyPath = $policy }
            $activePolicy = Join-Path (Join-Path $InstallPath 'Policies') 'policy.xml'
            $activation = Get-CallIndex { $_.Command -eq 'Copy-AgentFile' -and $_.Parameters.Destination -eq $activePolicy }
            $grant = Get-CallIndex { $_.Command -eq 'Grant-Access' -and $_.Parameters.Path -eq $external }
            $grant | Should -BeGreaterOrEqual 0
            $activation | Should -BeGreaterThan $grant
        }

        It 'activates a new policy on an installed server without restarting the transport service' {
            $null = Invoke-TestSetup
            $policy = Join-Path $Root 'next.xml'
            New-TestPolicy -Path $policy -AddressSpace $DefaultAddressSpace -RuleName 'Sign everything'
            Clear-FakeCall
            $result = Invoke-TestSetup -With @{ PolicyPath = $policy }
            Get-FileText (Join-Path (Join-Path $InstallPath 'Policies') 'policy.xml') | Should -Be (Get-FileText $policy)
            Get-CallName | Should -Not -Contain 'Restart-Service'
            $result.Changes | Should -HaveCount 1
        }

        It 'keeps an administrator''s NLog.config on a second run' {
            $null = Invoke-TestSetup
            $config = Join-Path $InstallPath 'NLog.config'
            Set-Content -LiteralPath $config -Value '<nlog><!-- Debug level, set by the administrator --></nlog>'
            Clear-FakeCall
            $null = Invoke-TestSetup
            Get-FileText $config | Should -Match 'set by the administrator'
            Get-CallName -Mutating | Should -BeNullOrEmpty
        }
    }

    Context 'interrupted or conflicting installations' {
        It 'completes an installation that stopped after registering the agent' {
            Mock -ModuleName $InstallerModuleName Enable-TransportAgent { throw 'Active Directory is unavailable.' }
            { Invoke-TestSetup } | Should -Throw '*Active Directory is unavailable*'
            Use-FakeExchangeAgain
            $result = Invoke-TestSetup
            $result.Changes | Should -Contain "Enable-TransportAgent $AgentName"
            Get-CallName | Should -Not -Contain 'Install-TransportAgent'
            (Get-FakeAgent $AgentName).Enabled | Should -BeTrue
        }

        It 'unblocks downloaded files, and only those' {
            $blocked = Join-Path (Join-Path $TestPackage 'agent') 'MimeKit.dll'
            $null = (Get-FakeServer).Blocked.Add($blocked)
            $null = Invoke-TestSetup
            @(Get-CallParameter 'Unblock-AgentFile' | ForEach-Object { $_.Path }) | Should -Be @(Join-Path $InstallPath 'MimeKit.dll')
            (Get-FakeServer).Blocked.Contains((Join-Path $InstallPath 'MimeKit.dll')) | Should -BeFalse
        }

        It 'refuses to replace another installed version and points to Upgrade' {
            $null = Invoke-TestSetup
            $newer = New-TestPackage -Version '1.1.0'
            Clear-FakeCall
            { Invoke-TestSetup -PackageRoot $newer } | Should -Throw '*Another version*-Action Upgrade*'
            Get-CallName -Mutating | Should -BeNullOrEmpty
            Get-FakeAgentVersion (Join-Path $InstallPath 'ExchangeEncryptionAgent.dll') | Should -Be '1.0.0'
        }

        It 'refuses when an agent of the same name is registered from another folder' {
            $null = Invoke-TestSetup -With @{ InstallPath = (Join-Path $Root 'elsewhere') }
            Clear-FakeCall
            { Invoke-TestSetup } | Should -Throw "*already registered*elsewhere*"
            Get-CallName | Should -Not -Contain 'Install-TransportAgent'
        }

        It 'fails clearly when the transport service does not come back' {
            $broken = New-TestPackage -Version '9.9.9' -AgentContent "version=9.9.9`nfails-to-start"
            { Invoke-TestSetup -PackageRoot $broken } | Should -Throw '*stopped again*MSExchange Extensibility*'
        }

        It 'fails clearly when the transport service never reaches Running' {
            Mock -ModuleName $InstallerModuleName Get-TransportServiceState { 'StartPending' }
            { Invoke-TestSetup -With @{ ServiceTimeoutSeconds = 30 } } | Should -Throw '*did not reach Running within 30 seconds*'
        }
    }
}
