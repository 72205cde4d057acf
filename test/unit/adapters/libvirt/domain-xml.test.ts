import { parseDomainXml } from '../../../../src/adapters/libvirt/domain-xml.js';

describe('parseDomainXml', () => {
  it('given the live XML of a running test-driver domain after a hot resize, when parsed, then it has the live sizes and is active', () => {
    // virsh dumpxml vp-d1 after setvcpus 4 --live and setmem 4096M --live (libvirt 9.0.0, test driver)
    const xml = `<domain type='test' id='2'>
  <name>vp-d1</name>
  <uuid>51b56493-eec5-4e82-bd5a-06e6cdc65a9a</uuid>
  <memory unit='KiB'>8388608</memory>
  <currentMemory unit='KiB'>4194304</currentMemory>
  <vcpu placement='static' current='4'>8</vcpu>
  <os>
    <type arch='i686'>hvm</type>
    <boot dev='hd'/>
  </os>
  <devices>
  </devices>
</domain>`;
    expect(parseDomainXml(xml)).toEqual({
      name: 'vp-d1',
      uuid: '51b56493-eec5-4e82-bd5a-06e6cdc65a9a',
      active: true,
      vcpus: { current: 4, max: 8 },
      memoryKiB: { current: 4194304, max: 8388608 },
    });
  });

  it('given an inactive XML without current attributes, when parsed, then libvirt defaults apply (current = maximum)', () => {
    const xml = "<domain type='test'><name>test</name><memory unit='GiB'>8</memory><vcpu placement='static'>2</vcpu></domain>";
    expect(parseDomainXml(xml)).toMatchObject({ active: false, uuid: null, vcpus: { current: 2, max: 2 }, memoryKiB: { current: 8 * 1024 * 1024, max: 8 * 1024 * 1024 } });
  });

  it('given units libvirt accepts, when parsed, then sizes are KiB', () => {
    const xml = "<domain><name>u</name><memory unit='M'>2048</memory><currentMemory unit='bytes'>1073741824</currentMemory><vcpu current='1'>4</vcpu></domain>";
    expect(parseDomainXml(xml).memoryKiB).toEqual({ current: 1048576, max: 2097152 });
  });

  it('given XML that is not a domain or has a bad size, when parsed, then it is refused as Invalid', () => {
    expect(() => parseDomainXml('<network><name>default</name></network>')).toThrow(expect.objectContaining({ code: 'Invalid' }));
    expect(() => parseDomainXml("<domain><memory unit='parsecs'>1</memory></domain>")).toThrow(expect.objectContaining({ code: 'Invalid' }));
    expect(() => parseDomainXml('<domain><vcpu>two</vcpu></domain>')).toThrow(expect.objectContaining({ code: 'Invalid' }));
  });
});
