BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    function Install-Version1 {
        # Version 1.0.0 installed and customised the way an administrator would.
        $script:TestPackage = New-TestPackage -Version '1.0.0'
        $null = Invoke-TestSetup
        $policies = Join-Path $InstallPath 'Policies'
        $script:Key = New-TestFile (Join-Path (Join-Path $policies 'keys') 'org.pfx') 'organisation key'
        New-TestPolicy -Path (Join-Path $policies 'policy.xml') -AddressSpace $DefaultAddressSpace -PfxFile 'keys/org.pfx' -RuleName 'Contoso rules'
        $script:Policy = Get-FileText (Join-Path $policies 'policy.xml')
        Set-Content -LiteralPath (Join-Path $InstallPath 'NLog.config') -Value '<nlog><!-- Debug, set by the administrator --></nlog>'
        $null = New-TestFile (Join-Path (Join-Path $InstallPath 'Logs') 'agent.log') 'yesterday'
        Clear-FakeCall
    }

    function Get-InstalledText {
        param([string] $Name)
        Get-FileText (Join-Path $InstallPath $Name)
    }
}

Describe 'Upgrade' {
    BeforeEach {
        Use-FakeExchange
        $script:InstallPath = Get-TestInstallPath
        Install-Version1
        $script:NewPackage = New-TestPackage -Version '1.1.0' -ExtraDependency 'System.Text.Encoding.CodePages'
    }

    Context 'to a version that starts' {
        BeforeEach {
            $script:Result = Invoke-TestSetup -Action Upgrade -PackageRoot $NewPackage
            $script:Calls = Get-CallName
        }

        It 'replaces the agent and its dependencies, adding new ones' {
            Get-FakeAgentVersion (Join-Path $InstallPath 'ExchangeEncryptionAgent.dll') | Should -Be '1.1.0'
            Get-InstalledText 'MimeKit.dll' | Should -Be 'MimeKit for 1.1.0'
            Get-InstalledText 'System.Text.Encoding.CodePages.dll' | Should -Be 'System.Text.Encoding.CodePages for 1.1.0'
            $Result.Version | Should -Be '1.1.0'
        }

        It 'keeps the policy, the keys, NLog.config and the logs' {
            Get-InstalledText (Join-Path 'Policies' 'policy.xml') | Should -Be $Policy
            Get-FileText $Key | Should -Be 'organisation key'
            Get-InstalledText 'NLog.config' | Should -Match 'set by the administrator'
            Get-InstalledText (Join-Path 'Logs' 'agent.log') | Should -Be 'yesterday'
        }

        It 'updates the shipped schema' {
            Get-InstalledText (Join-Path 'Policies' 'policy.xsd') | Should -Match '1\.1\.0'
        }

        It 'validates the kept policy with the new version''s validator' {
            @(Get-CallParameter 'Import-AgentAssembly')[0].Path | Should -Be (Join-Path (Join-Path $NewPackage 'agent') 'ExchangeEncryptionAgent.dll')
            @(Get-CallParameter 'Invoke-PolicyInventory')[0].Path | Should -Be (Join-Path (Join-Path $InstallPath 'Policies') 'policy.xml')
        }

        It 'backs up the previous version beside the installation, without the logs' {
            $backup = "$InstallPath.previous"
            Get-FakeAgentVersion (Join-Path $backup 'ExchangeEncryptionAgent.dll') | Should -Be '1.0.0'
            Get-FileText (Join-Path (Join-Path $backup 'Policies') 'policy.xml') | Should -Be $Policy
            Join-Path $backup 'Logs' | Should -Not -Exist
        }

        It 'stops the transport service only after validating and backing up, and starts it after copying' {
            $validate = Get-FirstCallIndex $Calls 'Invoke-PolicyInventory'
            $stop = Get-FirstCallIndex $Calls 'Stop-Service'
            $start = Get-FirstCallIndex $Calls 'Start-Service'
            $lastBackup = Get-CallIndex -Last { $_.Command -eq 'Copy-AgentFile' -and $_.Parameters.Destination -like '*.previous*' }
            $agentPath = Join-Path $InstallPath 'ExchangeEncryptionAgent.dll'
            $newAgent = Get-CallIndex { $_.Command -eq 'Copy-AgentFile' -and $_.Parameters.Destination -eq $agentPath }
            $validate | Should -BeLessThan $lastBackup
            $lastBackup | Should -BeLessThan $stop
            $stop | Should -BeLessThan $newAgent
            $newAgent | Should -BeLessThan $start
            (Get-LastCallIndex $Calls 'Get-TransportAgent') | Should -BeGreaterThan $start
        }

        It 'keeps the agent registration and does not restart twice' {
            $Calls | Should -Not -Contain 'Install-TransportAgent'
            $Calls | Should -Not -Contain 'Uninstall-TransportAgent'
            $Calls | Should -Not -Contain 'Restart-Service'
            @(Get-CallParameter 'Start-Service').Count | Should -Be 1
            (Get-FakeServer).ServiceStatus | Should -Be 'Running'
        }

        It 'changes nothing when run a second time' {
            Clear-FakeCall
            $second = Invoke-TestSetup -Action Upgrade -PackageRoot $NewPackage
            Get-CallName -Mutating | Should -BeNullOrEmpty
            $second.Changed | Should -BeFalse
        }
    }

    Context 'to a version whose agent stops the transport service' {
        BeforeEach {
            $script:Broken = New-TestPackage -Version '2.0.0' -AgentContent "version=2.0.0`nfails-to-start" -ExtraDependency 'Only.In.Version2'
        }

        It 'restores the previous version, starts the service again and says so' {
            { Invoke-TestSetup -Action Upgrade -PackageRoot $Broken } | Should -Throw '*Upgrade failed*previous version was restored*running again*'
            Get-FakeAgentVersion (Join-Path $InstallPath 'ExchangeEncryptionAgent.dll') | Should -Be '1.0.0'
            Get-InstalledText 'MimeKit.dll' | Should -Be 'MimeKit for 1.0.0'
            (Get-FakeServer).ServiceStatus | Should -Be 'Running'
            (Get-FakeAgent $AgentName).Enabled | Should -BeTrue
        }

        It 'removes the files only the failed version brought' {
            { Invoke-TestSetup -Action Upgrade -PackageRoot $Broken } | Should -Throw
            Join-Path $InstallPath 'Only.In.Version2.dll' | Should -Not -Exist
        }

        It 'keeps the policy, keys, NLog.config and logs through the rollback' {
            { Invoke-TestSetup -Action Upgrade -PackageRoot $Broken } | Should -Throw
            Get-InstalledText (Join-Path 'Policies' 'policy.xml') | Should -Be $Policy
            Get-FileText $Key | Should -Be 'organisation key'
            Get-InstalledText 'NLog.config' | Should -Match 'set by the administrator'
            Get-InstalledText (Join-Path 'Logs' 'agent.log') | Should -Be 'yesterday'
        }

        It 'rolls back in order: restore the backup while the service is down, then start it' {
            { Invoke-TestSetup -Action Upgrade -PackageRoot $Broken } | Should -Throw
            # The crashed service is already stopped, so the rollback does not stop it again.
            @(Get-FakeCall | Where-Object { $_.Command -in @('Stop-Service', 'Start-Service') } | ForEach-Object { $_.Command }) | Should -Be @('Stop-Service', 'Start-Service', 'Start-Service')
            $backedUpAgent = Join-Path "$InstallPath.previous" 'ExchangeEncryptionAgent.dll'
            $restore = Get-CallIndex { $_.Command -eq 'Copy-AgentFile' -and $_.Parameters.Source -eq $backedUpAgent }
            $restore | Should -BeGreaterThan (Get-CallIndex { $_.Command -eq 'Start-Service' })
            $restore | Should -BeLessThan (Get-CallIndex -Last { $_.Command -eq 'Start-Service' })
        }

        It 'rolls back a new policy given with -PolicyPath too' {
            $newPolicy = Join-Path $Root 'new-policy.xml'
            New-TestPolicy -Path $newPolicy -AddressSpace $DefaultAddressSpace -RuleName 'Needs version 2'
            { Invoke-TestSetup -Action Upgrade -PackageRoot $Broken -With @{ PolicyPath = $newPolicy } } | Should -Throw
            Get-InstalledText (Join-Path 'Policies' 'policy.xml') | Should -Be $Policy
        }

        It 'says how to restore by hand when the rollback fails too' {
            Mock -ModuleName $InstallerModuleName Restore-AgentInstallation { throw 'disk full' }
            { Invoke-TestSetup -Action Upgrade -PackageRoot $Broken } | Should -Throw '*Rolling back failed too: disk full*Restore by hand*'
        }
    }

    Context 'when it must not start' {
        It 'refuses before touching anything when the new version rejects the kept policy' {
            (Get-FakeOrganisation).InvalidPolicyPattern = 'Contoso rules'
            { Invoke-TestSetup -Action Upgrade -PackageRoot $NewPackage } | Should -Throw "*is invalid. Nothing was changed*rule 'Contoso rules'*"
            Get-CallName -Mutating | Should -BeNullOrEmpty
            Get-FakeAgentVersion (Join-Path $InstallPath 'ExchangeEncryptionAgent.dll') | Should -Be '1.0.0'
            "$InstallPath.previous" | Should -Not -Exist
        }

        It 'refuses when the agent is not installed and points to Install' {
            Use-FakeExchange
            { Invoke-TestSetup -Action Upgrade -PackageRoot $NewPackage } | Should -Throw '*not installed*-Action Install*'
            Get-CallName -Mutating | Should -BeNullOrEmpty
        }

        It 'changes nothing with -WhatIf' {
            $result = Invoke-TestSetup -Action Upgrade -PackageRoot $NewPackage -With @{ WhatIf = $true }
            Get-CallName -Mutating | Should -BeNullOrEmpty
            Get-FakeAgentVersion (Join-Path $InstallPath 'ExchangeEncryptionAgent.dll') | Should -Be '1.0.0'
            "$InstallPath.previous" | Should -Not -Exist
            ($result.Changes -join "`n") | Should -Match 'Back up'
            ($result.Changes -join "`n") | Should -Match 'while MSExchangeTransport is stopped'
        }
    }
}
