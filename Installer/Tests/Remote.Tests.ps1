BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    function Get-StepSequence {
        # What a server did, as the names of the changing calls, ignoring which paths and names they carried.
        param([string] $Server)
        Get-CallName -Mutating -Server $Server
    }
}

Describe 'Several servers' {
    BeforeEach {
        Use-FakeExchange -Servers 'EX01', 'EX02', 'EX03'
        $script:TestPackage = New-TestPackage
    }

    Context '-AllTransportServers' {
        BeforeEach {
            $script:Results = @(Invoke-TestSetup -With @{ AllTransportServers = $true })
        }

        It 'asks Get-TransportService for the servers and does them one after the other' {
            Get-CallName | Should -Contain 'Get-TransportService'
            @($Results | ForEach-Object { $_.Server }) | Should -Be @('EX01', 'EX02', 'EX03')
            $servers = @(Get-FakeCall -Mutating | ForEach-Object { $_.Server } | Select-Object -Unique)
            $servers | Should -Be @('EX01', 'EX02', 'EX03')
        }

        It 'runs this server in this session and the others through remoting' {
            @(Get-CallParameter 'New-InstallerSession' | ForEach-Object { $_.ComputerName }) | Should -Be @('EX02', 'EX03')
            @(Get-CallParameter 'Invoke-RemoteInstaller' | ForEach-Object { $_.ComputerName }) | Should -Be @('EX02', 'EX03')
            @(Get-CallParameter 'Remove-InstallerSession' | ForEach-Object { $_.ComputerName }) | Should -Be @('EX02', 'EX03')
        }

        It 'gives the remote servers the same steps as this one' {
            $local = Get-StepSequence -Server 'EX01'
            $local | Should -Contain 'Install-TransportAgent'
            # The first server creates the shared connector; the next ones add themselves to it.
            Get-StepSequence -Server 'EX02' | Should -Be @($local -replace '^New-SendConnector$', 'Set-SendConnector')
            Get-StepSequence -Server 'EX03' | Should -Be (Get-StepSequence -Server 'EX02')
        }

        It 'installs each server into its own install path with its own agent registration' {
            foreach ($server in 'EX01', 'EX02', 'EX03') {
                $agent = Get-FakeAgent $AgentName -Server $server
                $agent.Enabled | Should -BeTrue
                $agent.AssemblyPath | Should -Be (Join-Path (Get-TestInstallPath -Server $server) 'ExchangeEncryptionAgent.dll')
                $agent.AssemblyPath | Should -Exist
            }
        }

        It 'copies the package to each remote server and runs install.ps1 from that copy' {
            foreach ($call in @(Get-CallParameter 'Invoke-RemoteInstaller')) {
                # Remote paths are Windows paths, whatever the machine that runs the tests.
                $staging = @(Get-CallParameter 'Copy-PackageToSession' | Where-Object { $_.ComputerName -eq $call.ComputerName })[0].Destination
                $call.ScriptPath | Should -Be "$staging\install.ps1"
                $staging | Should -BeLike "*$($call.ComputerName)*"

            }
        }

        It 'ends with one forced-TLS connector whose source servers are all of them' {
            (Get-FakeOrganisation).Connectors.Count | Should -Be 1
            @((Get-FakeConnector $DefaultConnector).SourceTransportServers | ForEach-Object { $_.Name }) | Should -Be @('EX01', 'EX02', 'EX03')
        }

        It 'changes nothing anywhere when run a second time' {
            Clear-FakeCall
            $null = Invoke-TestSetup -With @{ AllTransportServers = $true }
            Get-CallName -Mutating | Should -BeNullOrEmpty
            @(Get-CallParameter 'Invoke-RemoteInstaller').Count | Should -Be 2
        }

        It 'uninstalls everywhere and the connector goes with the last server' {
            Clear-FakeCall
            $null = Invoke-TestSetup -Action Uninstall -With @{ AllTransportServers = $true }
            foreach ($server in 'EX01', 'EX02', 'EX03') {
                Get-FakeAgent $AgentName -Server $server | Should -BeNullOrEmpty
            }
            Get-FakeConnector $DefaultConnector | Should -BeNullOrEmpty
            @(Get-FakeCall -Mutating | Where-Object { $_.Command -eq 'Remove-SendConnector' } | ForEach-Object { $_.Server }) | Should -Be @('EX03')
        }
    }

    It 'passes the administrator''s choices and the credential to the remote run, but not the server list' {
        $credential = New-Object System.Management.Automation.PSCredential -ArgumentList 'CONTOSO\exadmin', (ConvertTo-SecureString 'not-a-real-password' -AsPlainText -Force)
        $null = Invoke-TestSetup -With @{ Server = @('EX02'); Priority = 7; ForcedTlsConnectorName = 'Partners TLS'; ServiceTimeoutSeconds = 600; Credential = $credential }
        $remote = @(Get-CallParameter 'Invoke-RemoteInstaller')[0].Parameters
        $remote.Action | Should -Be 'Install'
        $remote.Priority | Should -Be 7
        $remote.ForcedTlsConnectorName | Should -Be 'Partners TLS'
        $remote.ServiceTimeoutSeconds | Should -Be 600
        $remote.ContainsKey('Server') | Should -BeFalse
        # For that server's own Exchange PowerShell endpoint, should its remoting session lack the cmdlets.
        $remote.Credential.UserName | Should -Be 'CONTOSO\exadmin'
        $remote.ContainsKey('PackageRoot') | Should -BeFalse
        @(Get-CallParameter 'New-InstallerSession')[0].Credential.UserName | Should -Be 'CONTOSO\exadmin'
        (Get-FakeAgent $AgentName -Server 'EX02').Priority | Should -Be 7
    }

    It 'sends switches as plain booleans and -WhatIf explicitly, because preferences do not cross the session' {
        $null = Invoke-TestSetup -With @{ Server = @('EX02'); SkipForcedTlsConnector = $true; WhatIf = $true }
        $remote = @(Get-CallParameter 'Invoke-RemoteInstaller')[0].Parameters
        $remote.SkipForcedTlsConnector | Should -BeOfType [bool]
        $remote.SkipForcedTlsConnector | Should -BeTrue
        $remote.WhatIf | Should -BeTrue
        Get-CallName -Mutating | Should -BeNullOrEmpty
        Get-FakeAgent $AgentName -Server 'EX02' | Should -BeNullOrEmpty
    }

    It 'copies -PolicyPath to the remote server and points the remote run at the copy' {
        $policy = Join-Path (Join-Path $Root 'contoso') 'contoso.xml'
        New-TestPolicy -Path $policy -AddressSpace 'partners.eea.invalid'
        $null = Invoke-TestSetup -With @{ Server = @('EX02'); PolicyPath = $policy }
        $copy = @(Get-CallParameter 'Copy-PolicyToSession')[0]
        $copy.PolicyPath | Should -Be $policy
        $remotePolicy = @(Get-CallParameter 'Invoke-RemoteInstaller')[0].Parameters.PolicyPath
        $remotePolicy | Should -Not -Be $policy
        ($remotePolicy -replace '\\', '/') | Should -Be (($copy.Destination -replace '\\', '/') + '/contoso.xml')
        $copy.Destination | Should -BeLike '*staging-1.0.0\SourcePolicy'
        Get-FileText (Join-Path (Join-Path (Get-TestInstallPath -Server 'EX02') 'Policies') 'policy.xml') | Should -Be (Get-FileText $policy)
    }

    It 'stops at the first server that fails and says which servers were done and which were not reached' {
        (Get-FakeServer -Name 'EX02').DotNetRelease = 394802
        { Invoke-TestSetup -With @{ Server = @('EX01', 'EX02', 'EX03') } } | Should -Throw '*failed on EX02*.NET Framework 4.8*Already done: EX01.*Not attempted: EX03.*'
        (Get-FakeAgent $AgentName -Server 'EX01').Enabled | Should -BeTrue
        Get-FakeAgent $AgentName -Server 'EX03' | Should -BeNullOrEmpty
        @(Get-CallParameter 'New-InstallerSession' | ForEach-Object { $_.ComputerName }) | Should -Be @('EX02')
    }

    It 'closes the remote session even when the remote run fails' {
        (Get-FakeServer -Name 'EX02').IsAdmin = $false
        { Invoke-TestSetup -With @{ Server = @('EX02') } } | Should -Throw '*administrator*'
        @(Get-CallParameter 'Remove-InstallerSession').Count | Should -Be 1
    }

    It 'gets a remote server''s Exchange cmdlets from that server''s own endpoint with the credential, never the snap-in' {
        (Get-FakeServer -Name 'EX02').SnapInLoaded = $false
        $credential = New-Object System.Management.Automation.PSCredential -ArgumentList 'CONTOSO\exadmin', (ConvertTo-SecureString 'not-a-real-password' -AsPlainText -Force)
        $null = Invoke-TestSetup -With @{ Server = @('EX02'); Credential = $credential }
        $connect = @(Get-CallParameter 'Connect-ExchangeEndpoint' -Server 'EX02')
        $connect.Count | Should -Be 1
        $connect[0].ServerFqdn | Should -Be 'EX02.contoso.test'
        $connect[0].Credential.UserName | Should -Be 'CONTOSO\exadmin'
        (Get-FakeAgent $AgentName -Server 'EX02').Enabled | Should -BeTrue
    }

    It 'explains the second hop when a remote server lacks the cmdlets and no -Credential was given' {
        (Get-FakeServer -Name 'EX02').SnapInLoaded = $false
        { Invoke-TestSetup -With @{ Server = @('EX02') } } | Should -Throw '*failed on EX02*EX02.contoso.test/PowerShell/*Access is denied*pass -Credential*second hop*'
        Get-CallName -Mutating -Server 'EX02' | Should -BeNullOrEmpty
    }

    It 'reports the status of every server as objects' {
        $null = Invoke-TestSetup -With @{ Server = @('EX01', 'EX03') }
        Clear-FakeCall
        $status = @(Invoke-TestSetup -Action Status -With @{ AllTransportServers = $true })
        @($status | ForEach-Object { $_.Server }) | Should -Be @('EX01', 'EX02', 'EX03')
        @($status | ForEach-Object { $_.Installed }) | Should -Be @($true, $false, $true)
        Get-CallName -Mutating | Should -BeNullOrEmpty
    }

    It 'refuses -AllTransportServers for Edge servers, which are outside the organisation' {
        { Invoke-TestSetup -With @{ AllTransportServers = $true; TransportService = 'Edge' } } | Should -Throw '*Edge*each Edge server*'
        Get-CallName | Should -Not -Contain 'Get-TransportService'
    }
}
