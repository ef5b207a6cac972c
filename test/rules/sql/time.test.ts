/**
 * @module test/rules/sql/time — `parse_time` (Joda patterns, IANA zones) and `time_to_epoch` (java.time
 * patterns), starting from the documented examples [DG iot-sql-functions.md].
 */
import { expressionTable } from './helpers.js';

const U = undefined;
/** 2007-12-03T18:15:30.592Z, a Monday; 10:15:30.592 PST in Los Angeles. */
const T = 1196705730592;

expressionTable('parse_time', [
  ["parse_time(\"yyyy.MM.dd G 'at' HH:mm:ss z\", 100000000, 'America/Belize')", '1970.01.01 AD at 21:46:40 CST'],
  ["parse_time('yyyy', timestamp(), 'UTC')", '2017'],
  [`parse_time('yyyy-MM-dd HH:mm:ss.SSS', ${T})`, '2007-12-03 18:15:30.592'],
  [`parse_time('yyyy-MM-dd HH:mm:ss.SSS', ${T}, 'America/Los_Angeles')`, '2007-12-03 10:15:30.592'],
  [`parse_time('EEE, dd MMM yyyy hh:mm a Z', ${T}, 'America/Los_Angeles')`, 'Mon, 03 Dec 2007 10:15 AM -0800'],
  [`parse_time('ZZ', ${T}, 'America/Los_Angeles')`, '-08:00'],
  [`parse_time('ZZZ', ${T}, 'America/Los_Angeles')`, 'America/Los_Angeles'],
  [`parse_time('z', ${T}, 'America/Los_Angeles')`, 'PST'],
  [`parse_time('zzzz', ${T}, 'America/Los_Angeles')`, 'Pacific Standard Time'],
  [`parse_time('z Z', ${T})`, 'UTC +0000'],
  [`parse_time('EEEE MMMM d', ${T})`, 'Monday December 3'],
  [`parse_time('D yy e', ${T})`, '337 07 1'],
  [`parse_time('S SS SSSS', ${T})`, '5 59 5920'],
  [`parse_time('hh a', ${T})`, '06 PM'],
  ["parse_time('kk:mm K h', 0)", '24:00 0 12'],
  [`parse_time('''quoted ''''text''''''', ${T})`, "quoted 'text'"],
  ["parse_time('HH:mm ZZ', 0, '+05:30')", '05:30 +05:30'],
  ["parse_time('xxxx-ww', 1230508800000)", '2009-01'],
  ["parse_time('C Y G', 0)", '19 1970 AD'],
  ["parse_time('yyyy-MM-dd', '1196705730592')", '2007-12-03'],
  ["parse_time('yyyy', 'x')", U],
  ["parse_time('qqq', 0)", U],
  ["parse_time('yyyy', 0, 'Not/AZone')", U],
  ["parse_time('yyyy', 0, 5)", U],
  ['parse_time(5, 0)', U],
  ["parse_time('yyyy')", U],
]);

expressionTable('time_to_epoch', [
  ["time_to_epoch('2020-04-03 09:45:18 UTC+01:00', 'yyyy-MM-dd HH:mm:ss VV')", 1585903518000],
  ["time_to_epoch('18 December 2015', 'dd MMMM yyyy')", 1450396800000],
  ["time_to_epoch('2007-12-03 10:15:30.592 America/Los_Angeles', 'yyyy-MM-dd HH:mm:ss.SSS z')", 1196705730592],
  ["time_to_epoch('2020-01-01T00:00:00Z', \"yyyy-MM-dd'T'HH:mm:ssX\")", Date.UTC(2020, 0, 1)],
  ["time_to_epoch('01/02/2020 03:04 PM', 'MM/dd/yyyy hh:mm a')", Date.UTC(2020, 0, 2, 15, 4)],
  ["time_to_epoch('01/02/2020 12:04 am', 'MM/dd/yyyy hh:mm a')", Date.UTC(2020, 0, 2, 0, 4)],
  ["time_to_epoch('2020-06-01 12:00 PDT', 'yyyy-MM-dd HH:mm z')", Date.UTC(2020, 5, 1, 19, 0)],
  ["time_to_epoch('2020-06-01 12:00 +0200', 'yyyy-MM-dd HH:mm Z')", Date.UTC(2020, 5, 1, 10, 0)],
  ["time_to_epoch('2021-03-14 03:30 America/New_York', 'yyyy-MM-dd HH:mm VV')", Date.UTC(2021, 2, 14, 7, 30)],
  ["time_to_epoch('2021-01-14 03:30 America/New_York', 'yyyy-MM-dd HH:mm VV')", Date.UTC(2021, 0, 14, 8, 30)],
  ["time_to_epoch('Mon, 07 Dec 2020', 'EEE, dd MMM yyyy')", Date.UTC(2020, 11, 7)],
  ["time_to_epoch('20-12-07', 'yy-MM-dd')", Date.UTC(2020, 11, 7)],
  ["time_to_epoch('2020 061', 'yyyy DDD')", Date.UTC(2020, 2, 1)],
  ["time_to_epoch('2020-02-30', 'yyyy-MM-dd')", U],
  ["time_to_epoch('2020-01-01 24:00', 'yyyy-MM-dd HH:mm')", U],
  ["time_to_epoch('nope', 'yyyy')", U],
  ["time_to_epoch('2020', 'qqqq')", U],
  ["time_to_epoch('2020-01-01 Mars/Base', 'yyyy-MM-dd VV')", U],
  ["time_to_epoch(5, 'yyyy')", U],
  ["time_to_epoch('2020')", U],
]);
